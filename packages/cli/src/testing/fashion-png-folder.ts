// A folder dataset of real Fashion-MNIST test images (Debian's dataset-fashion-mnist), for the
// `cvf train` tests that need a few classes of real garments as PNG files.
import { encodePng, imageTensor } from '@cvf/core';
import { requireInCi } from '@cvf/core/testing';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const FASHION = '/usr/share/datasets/fashion-mnist';

/** Why Fashion-MNIST tests are skipped here (a failure in CI), or false when the data is installed. */
export const fashionMissing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) || `no ${FASHION}`);

/**
 * Writes the first `perClass` test images of each class in `classes` (Fashion-MNIST label → folder
 * name) as 28×28 gray PNGs under `root/<name>/<index>.png`.
 */
export async function writeFashionPngFolder(root: string, classes: ReadonlyMap<number, string>, perClass: number): Promise<void> {
  const images = gunzipSync(readFileSync(`${FASHION}/t10k-images-idx3-ubyte.gz`)).subarray(16);
  const labels = gunzipSync(readFileSync(`${FASHION}/t10k-labels-idx1-ubyte.gz`)).subarray(8);
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    const name = classes.get(label);
    if (name === undefined || (counts.get(label) ?? 0) >= perClass) continue;
    counts.set(label, (counts.get(label) ?? 0) + 1);
    const folder = join(root, name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${i}.png`), await encodePng(imageTensor('u8', { height: 28, width: 28, channels: 1 }, images.slice(i * 784, (i + 1) * 784))));
  }
}
