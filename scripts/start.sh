#!/usr/bin/env bash
# The main job of `npm start` (after scripts/setup.sh): check the machine, train the default
# pipeline when no production model exists yet, register it as production, show it predicting,
# then serve the studio over the store until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
cvf() { node packages/cli/bin/cvf.js "$@"; }

cvf doctor --kernels

MODEL=fashion-mnist
if cvf models list "$MODEL" --json | grep -q '"production"'; then
  echo "$MODEL already has a production version (train again: npx cvf train configs/fashion-mnist/train.yaml)"
else
  echo "training configs/fashion-mnist/train.yaml (Debian's Fashion-MNIST: 60,000 train, 10,000 test images)"
  cvf train configs/fashion-mnist/train.yaml --set registry.alias=production
fi
cvf models list "$MODEL"

# A few images of the official test set, to show the production model at work.
examples=.cvf/examples
mkdir -p "$examples"
/usr/bin/python3 - "$examples" <<'PY' 2>/dev/null || true
import gzip, sys
from PIL import Image
pixels = gzip.open('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz').read()[16:]
for i in range(3):
    Image.frombytes('L', (28, 28), pixels[i * 784:(i + 1) * 784]).save(f'{sys.argv[1]}/test-{i}.png')
PY
if ls "$examples"/*.png >/dev/null 2>&1; then
  echo
  echo "npx cvf predict $MODEL@production $examples/*.png"
  cvf predict "$MODEL@production" "$examples"/*.png
fi
cat <<EOT

Next: \`npx cvf predict $MODEL@production IMAGE.png|.dcm --json\` classifies your own files (with the most
similar training cases); \`npx cvf runs list\` shows the run, \`npm test\` runs every test.

Starting the studio (pipelines, runs, models, data, viewer) over this store; Ctrl-C stops it.
EOT
# Last: the studio serves the run trained above. exec, so Ctrl-C reaches it (it ends running trainings as killed).
exec node packages/cli/bin/cvf.js studio --store .cvf --configs configs --port "${CVF_STUDIO_PORT:-5173}"
