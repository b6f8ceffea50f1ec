#!/usr/bin/env bash
# Idempotent set-up of CV Factory: system packages (Debian/Ubuntu), npm dependencies, build.
# Safe to run again and again: each step checks first and does only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

export TURBO_TELEMETRY_DISABLED=1

log() { printf '[setup] %s\n' "$*"; }

# System packages named in DESIGN.md. Mesa comes from bookworm-backports: Dawn refuses Mesa 22.
SYSTEM_PACKAGES=(
  libvulkan1 chromium                       # WebGPU in Node (with Mesa below) and the browser tests
  dataset-fashion-mnist                     # demo and benchmark images
  python3-pydicom python3-gdcm python3-pil python3-numpy dcmtk  # DICOM corpus, reference decodes, tools
  orthanc orthanc-dicomweb                  # a real PACS for the DICOMweb tests
  python3-faiss python3-hnswlib python3-sklearn  # the peers of bench/retrieval, bench/pca, bench/train
  wrk                                       # bench/edge's HTTP load: a C client takes little of the CPU the server needs
  prometheus                                # scrapes the edge runtime in its metrics test
  python3-scipy python3-statsmodels         # reference implementations of the drift tests and clinical intervals
  redis-server postgresql                   # BullMQ batch jobs, Redis Streams; the PostgreSQL tracking store
  nats-server ffmpeg                        # JetStream consumers; video frames for streams
  python3-torch python3-opencv              # PyTorch and OpenCV: references of the CNN trainers, explanations, ORB/SIFT
)
# kubectl renders infra/k8s in its test. Debian's kubernetes-client conflicts with a kubectl already
# installed from Kubernetes' own package, so it is only asked for when no kubectl is on the PATH.
command -v kubectl >/dev/null || SYSTEM_PACKAGES+=(kubernetes-client)
BACKPORTS_PACKAGES=(mesa-vulkan-drivers)
MIN_MESA_MAJOR=25

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

mesa_major() {
  dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | sed -E 's/^([0-9]+:)?([0-9]+).*/\2/'
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

install_system_packages() {
  if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
    log "not Debian/Ubuntu: install yourself ${SYSTEM_PACKAGES[*]} ${BACKPORTS_PACKAGES[*]} (Mesa >= $MIN_MESA_MAJOR)."
    log "going on: the CPU paths work without them."
    return 0
  fi
  local missing=() backports=() codename
  mapfile -t missing < <(missing_packages "${SYSTEM_PACKAGES[@]}")
  local major; major=$(mesa_major || true)
  if [ -z "$major" ] || [ "$major" -lt "$MIN_MESA_MAJOR" ]; then backports=("${BACKPORTS_PACKAGES[@]}"); fi
  if [ ${#missing[@]} -eq 0 ] && [ ${#backports[@]} -eq 0 ]; then
    log "system packages present (Mesa $major)"
    return 0
  fi
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  export DEBIAN_FRONTEND=noninteractive
  if [ ${#backports[@]} -gt 0 ] && [ "$codename" = bookworm ]; then
    if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      echo 'deb http://deb.debian.org/debian bookworm-backports main' | as_root tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null \
        || { log "cannot add bookworm-backports (no root): WebGPU in Node needs Mesa >= $MIN_MESA_MAJOR"; backports=(); }
    fi
  fi
  log "installing: ${missing[*]} ${backports[*]}"
  if ! as_root apt-get update -qq; then log "apt-get update failed; going on without system packages"; return 0; fi
  if [ ${#missing[@]} -gt 0 ]; then
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" || log "some packages failed to install: ${missing[*]}"
  fi
  if [ ${#backports[@]} -gt 0 ]; then
    local target=(); [ "$codename" = bookworm ] && target=(-t bookworm-backports)
    as_root apt-get install -y -qq --no-install-recommends "${target[@]}" "${backports[@]}" || log "Mesa from backports failed to install"
  fi
}

install_npm_dependencies() {
  # onnxruntime-node's install script would download CUDA binaries from outside the npm registry.
  # package.json's allowScripts denies it (npm >= 11); its documented variable skips it for older npm.
  export ONNXRUNTIME_NODE_INSTALL=skip
  # npm ci only when the lockfile changed since the last install (node_modules/.package-lock.json is npm's own record).
  if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    log "npm dependencies up to date"
  else
    log "npm ci"
    npm ci --no-audit --no-fund
  fi
}

build() {
  log "build"
  npx turbo run build --output-logs=errors-only
}

install_system_packages
install_npm_dependencies
build
: "${XDG_RUNTIME_DIR:=/tmp/xdg-runtime-$(id -u)}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR" || true
log "done"
