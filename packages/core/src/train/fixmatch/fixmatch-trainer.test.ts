import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { trainSchema } from '../../config/sections/train.js';
import { readIdx } from '../../data/idx.js';
import { requireInCi } from '../../node/testing/index.js';
import type { CnnImages } from '../cnn/cnn-batches.js';
import type { CnnSpec } from '../cnn/cnn-spec.js';
import { softmaxRows } from '../cnn/cnn-trainer.js';
import { inferCnn, smallImages } from '../contrastive/testing/small-images.js';
import { trainFixMatch, type FixMatchEpoch } from './fixmatch-trainer.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
const missing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/train-images-idx3-ubyte.gz`) || `no ${FASHION}`);
const cpu = new CpuDevice();
// Four classes: T-shirt/top, trouser, pullover, sneaker.
const CLASSES = [0, 1, 2, 7];
const SPEC: CnnSpec = {
  inputChannels: 1,
  height: 14,
  width: 14,
  classes: CLASSES.length,
  blocks: [
    { kind: 'conv', channels: 8, kernel: 3, stride: 1 },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv', channels: 16, kernel: 3, stride: 1 },
  ],
  bnMomentum: 0.1,
  bnEpsilon: 1e-5,
};
// The config's λ 1, μ 3, weak and strong views; τ 0.8 (a short run's network is seldom surer).
const FIXMATCH = trainSchema.parse({ fixmatch: { threshold: 0.8 } }).fixmatch!;

let labelled: CnnImages;
let pool: Float32Array;
let test: CnnImages;
beforeAll(async () => {
  if (missing) return;
  const pixels = (await readIdx(readFileSync(`${FASHION}/train-images-idx3-ubyte.gz`))).data as Uint8Array;
  const labels = (await readIdx(readFileSync(`${FASHION}/train-labels-idx1-ubyte.gz`))).data as Uint8Array;
  // 4 labelled images per class; the next 600 rows' images (about 240 of these classes) unlabelled.
  const first = smallImages(pixels, labels, 0, 200, CLASSES);
  const rows = CLASSES.flatMap((_, c) => [...first.labels.keys()].filter((r) => first.labels[r] === c).slice(0, 4));
  labelled = { images: Float32Array.from(rows.flatMap((r) => [...first.images.subarray(r * 196, (r + 1) * 196)])), labels: Int32Array.from(rows, (r) => first.labels[r]!) };
  pool = smallImages(pixels, labels, 200, 600, CLASSES).images;
  test = smallImages(pixels, labels, 1000, 500, CLASSES);
});

async function accuracy(values: Map<string, Float32Array>): Promise<number> {
  const probabilities = softmaxRows((await inferCnn(cpu, SPEC, values, test.images)).logits, SPEC.classes);
  let correct = 0;
  test.labels.forEach((y, r) => {
    const row = probabilities.subarray(r * SPEC.classes, (r + 1) * SPEC.classes);
    if (row.indexOf(Math.max(...row)) === y) correct++;
  });
  return correct / test.labels.length;
}

describe.skipIf(missing)('FixMatch on Fashion-MNIST (16 labelled images, ~240 unlabelled, 14×14)', () => {
  // Measured (seeds 3, 4): the start 0.823; 5 more epochs without the unlabelled loss 0.813, with
  // it 0.848 (75% of the pool above τ by the last epoch). Seeds 5, 6: 0.798 → 0.848; 7, 8:
  // 0.753 → 0.833. Cheaper runs lost the gain at some seed pair (fixmatch below λ = 0 by 0.02–0.15):
  // 2 or 3 more epochs, a start of 3 or 4 epochs or from the labelled images alone (CnnTrainer),
  // conv widths 4/8 or 8/8, half the pool; the start needs its 8 epochs to be sure of the pool.
  it('from the same labelled-only start, beats continuing without the unlabelled loss (λ = 0)', async () => {
    const options = { ...FIXMATCH, batchSize: 16, optimizer: { kind: 'adam' as const, lr: 1e-2 }, seed: 3 };
    // A network the 16 labels alone have trained: its confident predictions are mostly right.
    const start = (await trainFixMatch(cpu, SPEC, labelled, pool, { ...options, weight: 0, epochs: 8 })).values;
    const run = async (weight: number) => {
      const history: FixMatchEpoch[] = [];
      const { values } = await trainFixMatch(cpu, SPEC, labelled, pool, { ...options, weight, epochs: 5, initial: start, seed: 4 }, { onEpoch: (e) => void history.push(e) });
      return { accuracy: await accuracy(values), history };
    };
    const baseline = await run(0);
    const fixmatch = await run(1);
    expect(fixmatch.history.at(-1)!.maskRate).toBeGreaterThan(0.2);
    expect(fixmatch.accuracy).toBeGreaterThan(baseline.accuracy + 0.03);
  }, 600_000);
});
