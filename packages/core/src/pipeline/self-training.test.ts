import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import type { Head } from '../train/head.js';
import { predictProbabilities } from '../train/predict.js';
import { sliceRows, syntheticBlobs } from '../train/synthetic-blobs.js';
import { trainHead } from '../train/trainer.js';
import type { LabeledFeatures } from '../train/trainer.js';
import { validationMetrics } from '../train/validation-metrics.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { selfTrain } from './self-training.js';

const cpu = new CpuDevice();
const dim = 8;
const classes = 3;
// Overlapping blobs and only 12 labelled rows: a head trained on them alone reaches 0.895 on the test rows.
const data = syntheticBlobs({ rows: 2412, dim, classes, spread: 2, seed: 11 });

function matrix(part: LabeledFeatures, unlabelled = false): FeatureMatrix {
  const rows = part.labels.length;
  return { features: part.features, labels: unlabelled ? new Int32Array(rows).fill(-1) : part.labels, rows, dim, sampleIndex: Int32Array.from({ length: rows }, (_, i) => i) };
}

const labelled = matrix(sliceRows(data, 0, 12));
const poolTruth = sliceRows(data, 12, 1412);
const pool = matrix(poolTruth, true);
const test = sliceRows(data, 1412, 2412);

describe('selfTrain', () => {
  it('labels the confident part of the pool correctly, retrains with it, and does better on held-out rows', async () => {
    const trainedOn: number[] = [];
    const heads: Head[] = [];
    const probabilities = (head: Head, m: FeatureMatrix) => predictProbabilities(cpu, head, m.features);
    const result = await selfTrain(labelled, pool, classes, { rounds: 2, threshold: 0.9 }, {
      trainRound: async (rows) => {
        trainedOn.push(rows.rows);
        // Pseudo-labelled rows carry their class; the pool's own rows were all −1.
        expect(rows.labels.every((y) => y >= 0 && y < classes)).toBe(true);
        const { head } = await trainHead(cpu, { head: 'softmax', inputDim: dim, classes }, { epochs: 30, batchSize: 32, optimizer: { kind: 'adam', lr: 0.05 }, earlyStopping: { enabled: false }, seed: 2 }, rows);
        heads.push(head);
        return head;
      },
      probabilities,
    });
    expect(result.rounds.map((r) => r.round)).toEqual([1, 2]);
    expect(trainedOn).toEqual([12, 12 + result.rounds[0]!.labelled, 12 + result.rounds[1]!.labelled]);
    for (const round of result.rounds) {
      expect(round.labelled).toBeGreaterThan(100);
      expect(round.perClass.reduce((a, b) => a + b, 0)).toBe(round.labelled);
    }
    expect(result.head).toBe(heads[2]);

    // The rows chosen in round 1 are the ones the first head gives ≥ 0.9: check them against the truth.
    const first = await probabilities(heads[0]!, pool);
    let chosen = 0;
    let right = 0;
    for (let r = 0; r < pool.rows; r++) {
      const row = first.subarray(r * classes, (r + 1) * classes);
      const top = row.indexOf(Math.max(...row));
      if (row[top]! >= 0.9) (chosen++, (right += top === poolTruth.labels[r] ? 1 : 0));
    }
    expect(chosen).toBe(result.rounds[0]!.labelled);
    expect(right / chosen).toBeGreaterThan(0.95);

    const accuracy = async (head: Head) => validationMetrics(await predictProbabilities(cpu, head, test.features), test.labels, classes).accuracy;
    expect(await accuracy(result.head)).toBeGreaterThan((await accuracy(heads[0]!)) + 0.01);
  });

  it('without a pool, or with no rounds, trains once on the labelled rows', async () => {
    let calls = 0;
    const steps = { trainRound: async () => (calls++, {} as Head), probabilities: async () => new Float32Array(0) };
    expect((await selfTrain(labelled, null, classes, { rounds: 3, threshold: 0.9 }, steps)).rounds).toEqual([]);
    expect((await selfTrain(labelled, pool, classes, { rounds: 0, threshold: 0.9 }, steps)).rounds).toEqual([]);
    expect(calls).toBe(2);
  });
});
