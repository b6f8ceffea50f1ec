import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import type { FastMatmul } from '../compute/fast-matmul/fast-matmul.js';
import { createOrtFastMatmul } from '../compute/fast-matmul/ort-fast-matmul.js';
import { createOrtNodeRuntime } from '../node/ort-node.js';
import { headParameters, type HeadSpec } from './head.js';
import { sliceRows, syntheticBlobs } from './synthetic-blobs.js';
import { trainHead } from './trainer.js';
import type { TrainOptions } from './train-options.js';

const cpu = new CpuDevice();
const data = syntheticBlobs({ rows: 900, dim: 16, classes: 3, spread: 3, seed: 5 });
const train = sliceRows(data, 0, 700);
const validation = sliceRows(data, 700, 900);
const spec: HeadSpec = { head: 'mlp', inputDim: 16, classes: 3, hidden: [32], activation: 'relu', dropout: 0.1 };
const options: TrainOptions = { epochs: 3, batchSize: 50, optimizer: { kind: 'adam', lr: 0.01 }, earlyStopping: { enabled: false }, seed: 4 };

const runtime = await createOrtNodeRuntime();
const mlas = createOrtFastMatmul(runtime, { threads: 1 });
afterAll(() => mlas.release());

/** The MLAS engine, counting the products it was given. */
function counting(): { fast: FastMatmul; calls: () => number } {
  let calls = 0;
  return {
    fast: { ...mlas, description: mlas.description, matmul: (...args) => (calls++, mlas.matmul(...args)) },
    calls: () => calls,
  };
}

describe('Trainer on a CPU device with ONNX Runtime', () => {
  it('runs every product of the steps and of validation through the engine, and matches the reference-kernel run', async () => {
    const { fast, calls } = counting();
    const reference = await trainHead(cpu, spec, options, train, { validation });
    const accelerated = await trainHead(cpu, spec, options, train, { validation, fastMatmul: fast });
    // Per step: 2 forward products, 2 weight gradients, 1 input gradient; then one validation pass (2 products) per epoch.
    const steps = 3 * Math.ceil(700 / 50);
    expect(calls()).toBe(steps * 5 + 3 * 2);
    // f32 (MLAS) against float64 (reference) sums: the runs drift apart only by rounding.
    const [want, got] = [reference, accelerated].map((r) => headParameters(r.head).map((t) => Array.from(t.data as Float32Array)));
    want!.forEach((layer, l) => layer.forEach((w, i) => expect(Math.abs(got![l]![i]! - w), `parameter ${l}[${i}]`).toBeLessThan(1e-3 * Math.max(1, Math.abs(w)))));
    accelerated.history.forEach((epoch, e) => expect(epoch.metrics.accuracy).toBeCloseTo(reference.history[e]!.metrics.accuracy!, 2));
  });

  it('with an ONNX Runtime, each step is one fused graph (no per-product calls) and the run still matches the reference', async () => {
    const { fast, calls } = counting();
    const reference = await trainHead(cpu, spec, options, train, { validation });
    const fused = await trainHead(cpu, spec, options, train, { validation, fastMatmul: fast, onnxRuntime: runtime });
    expect(calls()).toBe(3 * 2); // validation only: the steps' products are inside the fused graph
    const [want, got] = [reference, fused].map((r) => headParameters(r.head).map((t) => Array.from(t.data as Float32Array)));
    want!.forEach((layer, l) => layer.forEach((w, i) => expect(Math.abs(got![l]![i]! - w), `parameter ${l}[${i}]`).toBeLessThan(1e-3 * Math.max(1, Math.abs(w)))));
    fused.history.forEach((epoch, e) => {
      expect(epoch.trainLoss).toBeCloseTo(reference.history[e]!.trainLoss, 3);
      expect(epoch.metrics.accuracy).toBeCloseTo(reference.history[e]!.metrics.accuracy!, 2);
    });
  });
});
