import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeFileAccess } from '../node/node-file-access.js';
import { pythonModules, requireInCi, SYSTEM_PYTHON } from '../node/testing/index.js';
import { compress } from './compression-streams.js';
import { parseIdx, readIdx } from './idx.js';

/** An IDX file: magic, big-endian dimensions, then the values written by `write`. */
function idx(type: number, dims: number[], bytesPer: number, write: (view: DataView, offset: number, i: number) => void): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(4 + 4 * dims.length + count * bytesPer);
  const view = new DataView(bytes.buffer);
  bytes.set([0, 0, type, dims.length]);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  for (let i = 0; i < count; i++) write(view, 4 + 4 * dims.length + i * bytesPer, i);
  return bytes;
}

describe('IDX reader', () => {
  it('reads u8, big-endian i16 and f32 arrays with their dimensions', () => {
    const u8 = parseIdx(idx(0x08, [2, 2, 3], 1, (v, o, i) => v.setUint8(o, i * 10)));
    expect(u8).toEqual({ dtype: 'u8', dims: [2, 2, 3], data: Uint8Array.from({ length: 12 }, (_, i) => i * 10) });
    const i16 = parseIdx(idx(0x0b, [3], 2, (v, o, i) => v.setInt16(o, [-1024, 300, 3071][i]!)));
    expect(i16.dtype).toBe('i16');
    expect(Array.from(i16.data)).toEqual([-1024, 300, 3071]);
    const f32 = parseIdx(idx(0x0d, [2], 4, (v, o, i) => v.setFloat32(o, i + 0.5)));
    expect(Array.from(f32.data)).toEqual([0.5, 1.5]);
  });

  it('gunzips gzip-compressed files', async () => {
    const raw = idx(0x08, [4], 1, (v, o, i) => v.setUint8(o, 250 + i));
    expect(await readIdx(await compress(raw, 'gzip'))).toEqual(parseIdx(raw));
  });

  it('rejects foreign, truncated and corrupt files with DATASET_MALFORMED naming the file', async () => {
    const good = idx(0x08, [2, 3], 1, () => {});
    expect(() => parseIdx(new TextEncoder().encode('PK..'), 'a.idx')).toThrow(/a\.idx: not an IDX file/);
    expect(() => parseIdx(good.subarray(0, good.length - 1), 'b.idx')).toThrow(/b\.idx: dimensions \[2, 3\] of u8 need 18 bytes, the file has 17 \(truncated\)/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 1, 0]))).toThrow(/type code 0x07 is not an IDX type/);
    const gz = await compress(good, 'gzip');
    await expect(readIdx(gz.subarray(0, gz.length - 6), 'c.gz')).rejects.toMatchObject({ code: 'DATASET_MALFORMED', message: expect.stringContaining('c.gz: gzip data is corrupt') });
  });
});

const FASHION = '/usr/share/datasets/fashion-mnist';
const missing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/train-images-idx3-ubyte.gz`) || `no ${FASHION}`);
const numpyMissing = missing ?? requireInCi('numpy (python3-numpy)', pythonModules('numpy'));

async function readSet(name: string) {
  const images = await readIdx(await nodeFileAccess.readFile(`${FASHION}/${name}-images-idx3-ubyte.gz`));
  const labels = await readIdx(await nodeFileAccess.readFile(`${FASHION}/${name}-labels-idx1-ubyte.gz`));
  return { images, labels };
}

const SETS = [
  ['train', 60000],
  ['t10k', 10000],
] as const;

describe.skipIf(missing)("Debian's Fashion-MNIST", () => {
  it.each(SETS)('%s: %i images of 28×28 and as many labels, 10 balanced classes', async (name, count) => {
    const { images, labels } = await readSet(name);
    expect([images.dtype, ...images.dims]).toEqual(['u8', count, 28, 28]);
    expect([labels.dtype, ...labels.dims]).toEqual(['u8', count]);
    const perClass = new Array(10).fill(0);
    for (const label of labels.data) perClass[label]++;
    expect(perClass).toEqual(new Array(10).fill(count / 10));
  });
});

// The reference: the same files read independently by numpy.
describe.skipIf(numpyMissing)("Debian's Fashion-MNIST as numpy reads it", () => {
  it.each(SETS)('%s: the same labels and pixel sums', async (name, count) => {
    const { images, labels } = await readSet(name);
    const script = `import gzip, json, numpy as np
im = np.frombuffer(gzip.open('${FASHION}/${name}-images-idx3-ubyte.gz').read()[16:], np.uint8).reshape(-1, 784)
lb = np.frombuffer(gzip.open('${FASHION}/${name}-labels-idx1-ubyte.gz').read()[8:], np.uint8)
print(json.dumps({'labels': lb[:20].tolist(), 'sums': im[[0, 1, 2, -1]].sum(1).tolist(), 'total': int(im.sum(dtype=np.int64))}))`;
    const want = JSON.parse(execFileSync(SYSTEM_PYTHON, ['-c', script], { encoding: 'utf8' })) as { labels: number[]; sums: number[]; total: number };
    const pixels = images.data as Uint8Array;
    const sumOf = (i: number) => pixels.subarray(i * 784, (i + 1) * 784).reduce((a, b) => a + b, 0);
    expect(Array.from(labels.data.subarray(0, 20))).toEqual(want.labels);
    expect([sumOf(0), sumOf(1), sumOf(2), sumOf(count - 1)]).toEqual(want.sums);
    expect(pixels.reduce((a, b) => a + b, 0)).toBe(want.total);
  });
});
