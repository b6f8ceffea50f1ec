import type { Device } from '../../compute/device.js';
import type { FastMatmul } from '../../compute/fast-matmul/fast-matmul.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { DriftError } from '../../errors.js';
import { headProducts, type Products } from '../../train/products.js';
import { middleValuesInPlace } from './median.js';
import { checkTwoSamples, type DriftResult, type EmbeddingMatrix } from './types.js';

/**
 * Most pooled rows (live + reference) one MMD test takes: its kernel matrix is N² f32 — 100 MB at
 * 5,000, inside WebGPU's guaranteed 128 MiB storage binding — and its median N²/2 distances.
 */
export const MMD_MAX_POOLED_ROWS = 5000;

export interface MmdOptions {
  /** Permutations of the pooled sample behind the p-value (default 1000). */
  readonly permutations?: number;
  /** Seed of the permutations (default 0): the same seed gives the same p-value. */
  readonly seed?: number;
  /** Significance level: drift when p < alpha (default 0.05). */
  readonly alpha?: number;
  /** RBF bandwidth σ in k(x, y) = exp(−‖x − y‖² / 2σ²); default the median heuristic. */
  readonly bandwidth?: number;
  /** On a CPU device: run the matrix products here (ONNX Runtime's MLAS) instead of the float64 reference kernel. */
  readonly fastMatmul?: FastMatmul;
}

/**
 * Two-sample test of live embeddings against the reference sample: the unbiased MMD² with an RBF
 * kernel whose bandwidth is the median pairwise distance of the pooled rows (Gretton et al. 2012),
 * and a permutation p-value (1 + #{permuted ≥ observed}) / (1 + permutations).
 *
 * The kernel matrix K of the pooled N rows is computed once. A split of the pool into a live
 * group S (|S| = m) and the rest (n = N − m) has, with a the 0/1 indicator of S and r = K·1,
 *   MMD²ᵤ = (aᵀKa − m)/(m(m−1)) + (1ᵀK1 − 2aᵀr + aᵀKa − n)/(n(n−1)) − 2(aᵀr − aᵀKa)/(mn),
 * so every split needs only aᵀKa and aᵀr: the observed split, every permutation and a row of ones
 * (for r) are the rows of one indicator matrix Aᵀ [(P + 2) × N], and the test is one matrix
 * product Aᵀ·K on the Device.
 */
export async function mmdDrift(device: Device, live: EmbeddingMatrix, reference: EmbeddingMatrix, options: MmdOptions = {}): Promise<DriftResult> {
  checkTwoSamples(live, reference);
  const permutations = options.permutations ?? 1000;
  const alpha = options.alpha ?? 0.05;
  if (!Number.isInteger(permutations) || permutations < 1) throw new DriftError('DRIFT_OPTION_INVALID', `mmd permutations ${permutations} must be a positive integer`);
  if (!(alpha > 0 && alpha < 1)) throw new DriftError('DRIFT_OPTION_INVALID', `mmd alpha ${alpha} must be in (0, 1)`);
  if (options.bandwidth !== undefined && !(options.bandwidth > 0)) throw new DriftError('DRIFT_OPTION_INVALID', `mmd bandwidth ${options.bandwidth} must be > 0`);
  const m = live.rows;
  const total = m + reference.rows;
  if (total > MMD_MAX_POOLED_ROWS) {
    throw new DriftError('DRIFT_INVALID_DATA', `mmd pools ${m} live and ${reference.rows} reference rows; at most ${MMD_MAX_POOLED_ROWS} together (its kernel matrix is N² values): test a window of at most ${MMD_MAX_POOLED_ROWS - reference.rows} live rows`);
  }
  const products = headProducts(device, options.fastMatmul);
  const pooled = new Float32Array(total * live.dim);
  pooled.set(live.values);
  pooled.set(reference.values, live.values.length);
  const squared = pairSquaredDistances(await gramMatrix(products, device, pooled, total, live.dim), total);
  const bandwidth = options.bandwidth ?? medianBandwidth(squared);
  const kernel = rbfKernel(squared, total, bandwidth);
  const assignments = mmdPermutations(total, m, permutations, options.seed ?? 0);
  const statistics = await splitStatistics(products, device, kernel, total, m, assignments, permutations);
  const observed = statistics[0]!;
  let atLeast = 0;
  for (let p = 1; p <= permutations; p++) if (statistics[p]! >= observed) atLeast++;
  const pValue = (1 + atLeast) / (1 + permutations);
  return {
    method: 'mmd',
    statistic: observed,
    pValue,
    threshold: alpha,
    drifted: pValue < alpha,
    n: m,
    details: { bandwidth, permutations, referenceRows: reference.rows, kernel: 'rbf' },
  };
}

/**
 * Live-group members of each permutation: `permutations` × `liveRows` indices into the pooled rows
 * (live rows first, then the reference), each row the first `liveRows` entries of a seeded
 * Fisher–Yates shuffle of 0..total−1.
 */
export function mmdPermutations(total: number, liveRows: number, permutations: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const order = new Int32Array(total);
  const out = new Int32Array(permutations * liveRows);
  for (let p = 0; p < permutations; p++) {
    for (let i = 0; i < total; i++) order[i] = i;
    for (let i = total - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    out.set(order.subarray(0, liveRows), p * liveRows);
  }
  return out;
}

/** Z·Zᵀ of the pooled rows, a Device product. */
async function gramMatrix(products: Products, device: Device, pooled: Float32Array, rows: number, dim: number): Promise<Float32Array> {
  const z = device.upload(Tensor.cpu('f32', [rows, dim], pooled));
  const gramTensor = await products(z, z, { transposeB: true });
  const gram = (await device.read(gramTensor)) as Float32Array;
  release(gramTensor, z);
  return gram;
}

/**
 * ‖zᵢ − zⱼ‖² = gᵢᵢ + gⱼⱼ − 2gᵢⱼ of every pair i < j, packed row by row, in float64; clamped at 0:
 * rounding can make the distance of two near-equal rows slightly negative.
 */
function pairSquaredDistances(gram: Float32Array, rows: number): Float64Array {
  const out = new Float64Array((rows * (rows - 1)) / 2);
  let k = 0;
  for (let i = 0; i < rows; i++) {
    const gii = gram[i * rows + i]!;
    for (let j = i + 1; j < rows; j++) out[k++] = Math.max(0, gii + gram[j * rows + j]! - 2 * gram[i * rows + j]!);
  }
  return out;
}

/**
 * The median heuristic: σ = the median Euclidean distance over all pairs i < j of the pooled rows
 * (1 when every row is the same) — selected among the squared distances, the root taken of the
 * two middle ones only.
 */
function medianBandwidth(squared: Float64Array): number {
  const [lower, upper] = middleValuesInPlace(squared.slice());
  const median = (Math.sqrt(lower) + Math.sqrt(upper)) / 2;
  return median > 0 ? median : 1;
}

/** K [rows × rows], f32: exp(−‖zᵢ − zⱼ‖² / 2σ²), each pair computed once and mirrored. */
function rbfKernel(squared: Float64Array, rows: number, bandwidth: number): Float32Array {
  const scale = -1 / (2 * bandwidth * bandwidth);
  const out = new Float32Array(rows * rows);
  let k = 0;
  for (let i = 0; i < rows; i++) {
    out[i * rows + i] = 1;
    for (let j = i + 1; j < rows; j++) out[i * rows + j] = Math.exp(squared[k++]! * scale);
  }
  // Mirrored tile by tile: a column-order write per pair would touch a new cache line each time.
  const TILE = 64;
  for (let bi = 0; bi < rows; bi += TILE) {
    for (let bj = bi; bj < rows; bj += TILE) {
      for (let i = bi; i < Math.min(bi + TILE, rows); i++) {
        for (let j = Math.max(bj, i + 1); j < Math.min(bj + TILE, rows); j++) out[j * rows + i] = out[i * rows + j]!;
      }
    }
  }
  return out;
}

/**
 * MMD²ᵤ of the observed split (row 0: the live rows) and of every permutation, from one product
 * Aᵀ·K with the indicators as rows of Aᵀ, so that each split's sums read one contiguous row.
 */
async function splitStatistics(products: Products, device: Device, kernel: Float32Array, total: number, m: number, assignments: Int32Array, permutations: number): Promise<Float64Array> {
  // Row 0: the observed split; 1..P: the permutations; the last, all ones: r = K·1 (K is symmetric).
  const splits = permutations + 2;
  const indicators = new Float32Array(splits * total);
  indicators.fill(1, 0, m);
  indicators.fill(1, (splits - 1) * total);
  for (let p = 0; p < permutations; p++) {
    const row = (p + 1) * total;
    for (let t = 0; t < m; t++) indicators[row + assignments[p * m + t]!] = 1;
  }
  const a = device.upload(Tensor.cpu('f32', [splits, total], indicators));
  const k = device.upload(Tensor.cpu('f32', [total, total], kernel));
  const productTensor = await products(a, k);
  const product = (await device.read(productTensor)) as Float32Array;
  release(productTensor, k, a);
  const rowSums = Float64Array.from(product.subarray((splits - 1) * total));
  let grand = 0;
  for (let i = 0; i < total; i++) grand += rowSums[i]!;
  const n = total - m;
  const out = new Float64Array(permutations + 1);
  for (let p = 0; p <= permutations; p++) {
    const row = p * total;
    let within = 0; // aᵀKa
    let toAll = 0; // aᵀr
    for (let t = 0; t < m; t++) {
      const i = p === 0 ? t : assignments[(p - 1) * m + t]!;
      within += product[row + i]!;
      toAll += rowSums[i]!;
    }
    out[p] = (within - m) / (m * (m - 1)) + (grand - 2 * toAll + within - n) / (n * (n - 1)) - (2 * (toAll - within)) / (m * n);
  }
  return out;
}

/** Frees device copies (GPU buffers); host tensors are the caller's arrays and are left alone. */
function release(...tensors: Tensor[]): void {
  for (const t of tensors) if (t.location === 'gpu') t.dispose();
}
