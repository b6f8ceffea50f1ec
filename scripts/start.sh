#!/usr/bin/env bash
# The main job of `npm start` (after scripts/setup.sh): check the machine, then run the largest
# end-to-end slice that exists — every kernel on WebGPU and CPU, and the default pipelines validated.
set -euo pipefail
cd "$(dirname "$0")/.."
cvf() { node packages/cli/bin/cvf.js "$@"; }

cvf doctor --kernels
for config in configs/*/train.yaml; do cvf validate "$config"; done
cat <<'EOT'

Next: `npm test` runs every test; `npx cvf --help` lists the commands.
EOT
