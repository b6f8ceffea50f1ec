#!/usr/bin/env bash
# Puts `cvf` on the PATH from this clone: a link PREFIX/bin/cvf → packages/cli/bin/cvf.js, so
# `cvf` runs in any folder (Node follows the link, and finds @cvf/* in this clone's node_modules).
# Builds the CLI first when it has not been built. No network, no global npm install.
#   scripts/install-cli.sh [--prefix DIR]     default: $CVF_PREFIX, else ~/.local
#   scripts/install-cli.sh --uninstall [--prefix DIR]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
prefix=${CVF_PREFIX:-$HOME/.local}
uninstall=false
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --uninstall) uninstall=true; shift ;;
    -h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-cli: unknown argument \"$1\" (options: --prefix DIR, --uninstall, --help)" >&2; exit 2 ;;
  esac
done
link="$prefix/bin/cvf"

if $uninstall; then
  # Only our own link is removed, never a file of the same name.
  if [ -L "$link" ] && [ "$(readlink "$link")" = "$repo/packages/cli/bin/cvf.js" ]; then rm "$link"; echo "removed $link"; else echo "no cvf link of this clone at $link"; fi
  exit 0
fi

if [ ! -d "$repo/node_modules/@cvf/cli" ]; then
  echo "install-cli: the clone's dependencies are not installed; run scripts/setup.sh (or npm ci) first" >&2
  exit 1
fi
if [ ! -f "$repo/packages/cli/dist/main.js" ]; then
  echo "[install-cli] building the CLI (npx turbo run build --filter=@cvf/cli)"
  (cd "$repo" && TURBO_TELEMETRY_DISABLED=1 npx turbo run build --filter=@cvf/cli --output-logs=errors-only)
fi
if [ -e "$link" ] && ! [ -L "$link" ]; then
  echo "install-cli: $link exists and is not a link; remove it or choose another --prefix" >&2
  exit 1
fi
mkdir -p "$prefix/bin"
ln -sfn "$repo/packages/cli/bin/cvf.js" "$link"
echo "cvf $("$link" --version) → $link"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "$prefix/bin is not on your PATH; add it, e.g. in ~/.bashrc: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
