// A minimal reader of Fashion-MNIST's gzip'd IDX files as flat float rows, for the benchmarks
// only (@cvf/core's readIdx is the library's reader).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The images of one split as [count, 784] floats scaled to [0, 1], and their labels. */
export function readFashionMnist(split: 'train' | 't10k', dir = FASHION_MNIST_DIR): { images: Float32Array; labels: Uint8Array; count: number; dim: number } {
  const images = readIdx(join(dir, `${split}-images-idx3-ubyte.gz`), 0x0803);
  const labels = readIdx(join(dir, `${split}-labels-idx1-ubyte.gz`), 0x0801);
  const [count, rows, cols] = images.dims as [number, number, number];
  const dim = rows * cols;
  const scaled = new Float32Array(count * dim);
  for (let i = 0; i < scaled.length; i++) scaled[i] = images.data[i]! / 255;
  return { images: scaled, labels: labels.data, count, dim };
}

function readIdx(file: string, magic: number): { dims: number[]; data: Uint8Array } {
  const bytes = gunzipSync(readFileSync(file));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== magic) throw new Error(`${file}: IDX magic 0x${view.getUint32(0).toString(16)}, expected 0x${magic.toString(16)} (unsigned bytes)`);
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, k) => view.getUint32(4 + 4 * k));
  const offset = 4 + 4 * rank;
  const size = dims.reduce((n, d) => n * d, 1);
  if (bytes.length - offset !== size) throw new Error(`${file}: ${bytes.length - offset} data bytes for dims [${dims.join(', ')}] (${size})`);
  return { dims, data: bytes.subarray(offset) };
}
