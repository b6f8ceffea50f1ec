// The power study's peer: the same tests on the same windows in numpy/scipy (Debian python3) —
// MMD² with the median-heuristic RBF kernel and the same permutations (core's mmdPermutations,
// passed as index arrays), and the input test as scipy.stats.ks_2samp on the per-image means,
// spreads and sizes plus scipy.stats.chi2_contingency on the pooled histograms, Bonferroni × 4 —
// so each window's decisions can be compared side by side with ours.
import { mmdPermutations, type InputImageStatistics, type InputReference } from '@cvf/core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PEER = String.raw`
import json, sys
import numpy as np
from scipy import stats
d = json.load(open(sys.argv[1]))
m, n, dim, P = d['m'], d['n'], d['dim'], d['permutations']
ref = np.fromfile(d['reference'], dtype='<f4').reshape(n, dim)
lives = np.fromfile(d['live'], dtype='<f4').reshape(-1, m, dim)
perms = np.fromfile(d['perms'], dtype='<i4').reshape(-1, P, m)
N = m + n
def mmd_p(live, perm):
    z = np.concatenate([live, ref])
    g = z @ z.T
    sq = np.diag(g).astype(np.float64)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * g, 0)
    sigma = np.median(np.sqrt(d2[np.triu_indices(N, 1)]))
    K = np.exp(-d2 / (2 * sigma * sigma)).astype(np.float32)
    A = np.zeros((N, P + 2), np.float32)
    A[:m, 0] = 1
    A[perm, np.arange(1, P + 1)[:, None]] = 1
    A[:, -1] = 1
    KA = K @ A
    r = KA[:, -1].astype(np.float64); T = r.sum()
    within = (A[:, :-1] * KA[:, :-1]).sum(0, dtype=np.float64)
    to_all = (A[:, :-1] * r[:, None]).sum(0)
    s = (within - m) / (m * (m - 1)) + (T - 2 * to_all + within - n) / (n * (n - 1)) - 2 * (to_all - within) / (m * n)
    return float((1 + np.sum(s[1:] >= s[0])) / (P + 1))
R = d['inputReference']
def input_p(w):
    hist = np.array([w['histogram'], R['histogram']])
    hist = hist[:, hist.sum(axis=0) > 0]
    ps = [stats.ks_2samp(w['means'], R['means']).pvalue, stats.ks_2samp(w['stds'], R['stds']).pvalue, stats.ks_2samp(w['pixels'], R['pixels']).pvalue, stats.chi2_contingency(hist, correction=False)[1]]
    return float(min(1.0, 4 * min(ps)))
print(json.dumps({'mmd': [mmd_p(lives[k], perms[k]) for k in range(len(lives))], 'input': [input_p(w) for w in d['inputs']]}))
`;

export interface PeerWindow {
  readonly features: Float32Array;
  readonly input: readonly InputImageStatistics[];
  readonly seed: number;
}

/** numpy's MMD p-value and scipy's input p-value of each window (one python run, BLAS on one thread). */
export function peerPValues(windows: readonly PeerWindow[], reference: { sample: Float32Array; sampleRows: number; dim: number; input: InputReference }, permutations: number): { mmd: number[]; input: number[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cvf-bench-power-peer-'));
  try {
    const m = windows[0]!.input.length;
    const live = new Float32Array(windows.length * m * reference.dim);
    windows.forEach((w, k) => live.set(w.features, k * m * reference.dim));
    const perms = new Int32Array(windows.length * permutations * m);
    windows.forEach((w, k) => perms.set(mmdPermutations(m + reference.sampleRows, m, permutations, w.seed), k * permutations * m));
    const summary = (means: ArrayLike<number>, stds: ArrayLike<number>, widths: ArrayLike<number>, heights: ArrayLike<number>, histogram: ArrayLike<number>) => ({
      means: Array.from(means),
      stds: Array.from(stds),
      pixels: Array.from(widths, (w, i) => w * heights[i]!),
      histogram: Array.from(histogram),
    });
    const pooled = (images: readonly InputImageStatistics[]) => images.reduce((sum, s) => sum.map((v, b) => v + s.histogram[b]!), new Array<number>(reference.input.bins).fill(0));
    writeFileSync(join(dir, 'reference.f32'), new Uint8Array(reference.sample.buffer, reference.sample.byteOffset, reference.sample.byteLength));
    writeFileSync(join(dir, 'live.f32'), new Uint8Array(live.buffer));
    writeFileSync(join(dir, 'perms.i32'), new Uint8Array(perms.buffer));
    const r = reference.input;
    writeFileSync(
      join(dir, 'windows.json'),
      JSON.stringify({
        m,
        n: reference.sampleRows,
        dim: reference.dim,
        permutations,
        reference: join(dir, 'reference.f32'),
        live: join(dir, 'live.f32'),
        perms: join(dir, 'perms.i32'),
        inputReference: summary(r.means, r.stds, r.widths, r.heights, r.histogram),
        inputs: windows.map((w) => summary(w.input.map((s) => s.mean), w.input.map((s) => s.std), w.input.map((s) => s.width), w.input.map((s) => s.height), pooled(w.input))),
      }),
    );
    const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const run = spawnSync('/usr/bin/python3', ['-c', PEER, join(dir, 'windows.json')], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (run.status !== 0) throw new Error(`numpy/scipy peer failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as { mmd: number[]; input: number[] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
