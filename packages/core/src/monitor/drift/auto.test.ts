// The default method: MMD and the input detector, Bonferroni-combined. Each detector is checked
// against numpy/scipy in its own test; here the combination: the levels, the decision, and that
// MMD inside auto is the very test mmdDrift runs.
import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { Rng } from '../../compute/random.js';
import type { InputImageStatistics } from '../input-drift/image-statistics.js';
import { inputDrift } from '../input-drift/input-drift.js';
import { inputReferenceOf } from '../input-drift/input-reference.js';
import { autoDrift } from './auto.js';
import { mmdDrift } from './mmd.js';
import type { EmbeddingMatrix } from './types.js';

const rng = new Rng(8);
const cpu = new CpuDevice();

function embeddings(rows: number, shift: number): EmbeddingMatrix {
  return { values: new Float32Array(rows * 4).map(() => rng.normal() + shift), rows, dim: 4 };
}

/** Images whose mean intensity is around `mean`: a histogram of 32 shares around it. */
function images(count: number, mean: number): InputImageStatistics[] {
  return Array.from({ length: count }, () => {
    const m = Math.min(0.95, Math.max(0.05, mean + rng.normal() * 0.05));
    const histogram = Array.from({ length: 32 }, (_, b) => Math.exp(-(((b + 0.5) / 32 - m) ** 2) / 0.02));
    const total = histogram.reduce((s, v) => s + v, 0);
    return { mean: m, std: 0.15 + rng.normal() * 0.01, histogram: histogram.map((v) => v / total), width: 28, height: 28 };
  });
}

const referenceEmbeddings = embeddings(150, 0);
const inputReference = inputReferenceOf(images(150, 0.4));

describe('auto drift', () => {
  it('runs mmd and input at alpha / 2 and stays quiet on training-like data', async () => {
    const live = images(50, 0.4);
    const result = await autoDrift(cpu, embeddings(50, 0), referenceEmbeddings, (alpha) => inputDrift(live, inputReference, { alpha }), { mmd: { permutations: 200, seed: 1 } });
    expect(result.method).toBe('auto');
    expect(result.results.map((r) => [r.method, r.threshold])).toEqual([['mmd', 0.025], ['input', 0.025]]);
    expect(result.drifted).toBe(false);
    expect(result.skipped).toBeUndefined();
  });

  it('fires when only the images drift (darker inputs, unchanged embeddings)', async () => {
    const live = images(50, 0.25);
    const result = await autoDrift(cpu, embeddings(50, 0), referenceEmbeddings, (alpha) => inputDrift(live, inputReference, { alpha }), { mmd: { permutations: 200, seed: 1 } });
    expect(result.results.map((r) => r.drifted)).toEqual([false, true]);
    expect(result.drifted).toBe(true);
  });

  it('fires when only the embeddings drift, with the p-value mmdDrift gives on its own', async () => {
    const liveEmbeddings = embeddings(50, 0.7);
    const live = images(50, 0.4);
    const result = await autoDrift(cpu, liveEmbeddings, referenceEmbeddings, (alpha) => inputDrift(live, inputReference, { alpha }), { mmd: { permutations: 200, seed: 1 } });
    const alone = await mmdDrift(cpu, liveEmbeddings, referenceEmbeddings, { permutations: 200, seed: 1 });
    expect(result.results[0]!.pValue).toBe(alone.pValue);
    expect(result.results.map((r) => r.drifted)).toEqual([true, false]);
    expect(result.drifted).toBe(true);
  });

  it('without an input to test, runs mmd alone at the full alpha and says why', async () => {
    const result = await autoDrift(cpu, embeddings(50, 0), referenceEmbeddings, { unavailable: 'the inference log holds no image statistics' }, { mmd: { permutations: 50 } });
    expect(result.results.map((r) => [r.method, r.threshold])).toEqual([['mmd', 0.05]]);
    expect(result.skipped).toEqual([{ method: 'input', reason: 'the inference log holds no image statistics' }]);
  });

  it('rejects an alpha outside (0, 1)', async () => {
    await expect(autoDrift(cpu, embeddings(10, 0), referenceEmbeddings, { unavailable: 'x' }, { alpha: 0 })).rejects.toMatchObject({ code: 'DRIFT_OPTION_INVALID' });
  });
});
