import { Rng } from '../../compute/random.js';
import { checkImage, explainedClass, predictChecked, type PlanarImage, type PredictFn } from '../explain-input.js';
import { resolveSuperpixelOptions, type SuperpixelExplanation, type SuperpixelOptions } from './explain-options.js';
import { channelMeans, perturbSuperpixels, scoreCoalitions } from './perturb.js';
import { paintSuperpixels } from './superpixels.js';
import { weightedRidge } from './weighted-least-squares.js';

/**
 * Kernel SHAP (Lundberg & Lee 2017) over superpixels: the Shapley values of the game "score of the
 * class when only these superpixels are shown" (hidden ones show the image's mean), estimated by a
 * weighted least-squares fit with the Shapley kernel π(z) = (M−1) / (C(M,|z|)·|z|·(M−|z|)) under the
 * efficiency constraint Σφ = f(x) − f(all hidden), which is met exactly: the last superpixel's value
 * is eliminated as Δ − Σ of the others before the fit (as the `shap` package does).
 *
 * When every coalition fits in `samples` (2^M − 2 ≤ samples) all are scored with their exact
 * kernel weights, and the result is the exact Shapley values. Otherwise coalitions are drawn: a
 * size s with probability ∝ π's mass at s, (M−1)/(s(M−s)), then s superpixels uniformly, each with
 * its complement (paired sampling halves the variance); drawn in proportion to the kernel, each
 * counts with weight 1.
 */
export interface KernelShapExplanation extends SuperpixelExplanation {
  /** f(all hidden): the score with every superpixel showing the mean. Σ attributions = baseScore − this. */
  baselineScore: number;
  /** Whether every coalition was scored (the values are exact), or they were sampled. */
  exact: boolean;
}

/** Largest superpixel count whose coalitions are enumerated when the budget allows (2^16 images). */
const MAX_ENUMERATED = 16;

export async function kernelShapMap(predict: PredictFn, image: PlanarImage, options: SuperpixelOptions = {}): Promise<KernelShapExplanation> {
  const what = 'kernelShapMap';
  checkImage(what, image);
  const { superpixels, samples, seed, batchSize } = resolveSuperpixelOptions(what, image.height, image.width, options);
  const { classIndex, baseScore } = await explainedClass(what, predict, image, options.classIndex);
  const m = superpixels.count;

  const hidden = new Float32Array(image.data.length);
  perturbSuperpixels(image, superpixels, channelMeans(image), new Uint8Array(m), hidden);
  const all = await predictChecked(what, predict, hidden, 1);
  const baselineScore = all[classIndex]!;
  const delta = baseScore - baselineScore;

  let attributions: Float64Array;
  let exact = false;
  let evaluations = 2;
  if (m === 1) attributions = Float64Array.of(delta);
  else {
    exact = m <= MAX_ENUMERATED && 2 ** m - 2 <= samples;
    const { coalitions, weights } = exact ? allCoalitions(m) : sampledCoalitions(m, samples, new Rng(seed));
    const scores = await scoreCoalitions(what, predict, image, superpixels, coalitions, classIndex, batchSize);
    evaluations += scores.length;
    attributions = constrainedFit(coalitions, scores, weights, m, baselineScore, delta);
  }
  return { map: paintSuperpixels(superpixels, attributions), height: image.height, width: image.width, classIndex, baseScore, evaluations, superpixels, attributions, baselineScore, exact };
}

/** The Shapley kernel's weight of one coalition of `size` of `m` players. */
export function shapleyKernelWeight(m: number, size: number): number {
  return (m - 1) / (binomial(m, size) * size * (m - size));
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/** Every coalition but the empty and the full one, with its exact kernel weight. */
function allCoalitions(m: number): { coalitions: Uint8Array; weights: Float64Array } {
  const count = 2 ** m - 2;
  const coalitions = new Uint8Array(count * m);
  const weights = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const bits = k + 1;
    let size = 0;
    for (let j = 0; j < m; j++) {
      const kept = (bits >> j) & 1;
      coalitions[k * m + j] = kept;
      size += kept;
    }
    weights[k] = shapleyKernelWeight(m, size);
  }
  return { coalitions, weights };
}

/** `samples` coalitions (rounded up to pairs) drawn from the Shapley kernel, each with its complement. */
function sampledCoalitions(m: number, samples: number, rng: Rng): { coalitions: Uint8Array; weights: Float64Array } {
  const pairs = Math.ceil(samples / 2);
  // The kernel's total mass at each size s: C(m,s)·π = (m−1)/(s(m−s)); cumulative for drawing.
  const cumulative: number[] = [];
  let total = 0;
  for (let s = 1; s < m; s++) cumulative.push((total += (m - 1) / (s * (m - s))));
  const coalitions = new Uint8Array(pairs * 2 * m);
  const order = Array.from({ length: m }, (_, j) => j);
  for (let p = 0; p < pairs; p++) {
    const u = rng.next() * total;
    let size = 1;
    while (cumulative[size - 1]! < u) size++;
    // A partial Fisher–Yates shuffle picks `size` superpixels uniformly.
    for (let i = 0; i < size; i++) {
      const j = i + Math.floor(rng.next() * (m - i));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const row = coalitions.subarray(2 * p * m, (2 * p + 1) * m);
    const complement = coalitions.subarray((2 * p + 1) * m, (2 * p + 2) * m);
    complement.fill(1);
    for (let i = 0; i < size; i++) {
      row[order[i]!] = 1;
      complement[order[i]!] = 0;
    }
  }
  return { coalitions, weights: new Float64Array(pairs * 2).fill(1) };
}

/**
 * Weighted least squares of (score − f(∅)) on the kept-indicators with Σφ = Δ: substituting
 * φ_last = Δ − Σ_{j<last} φ_j turns it into an unconstrained fit of (score − f(∅) − z_last·Δ) on
 * (z_j − z_last), j < last.
 */
function constrainedFit(coalitions: Uint8Array, scores: Float64Array, weights: Float64Array, m: number, baselineScore: number, delta: number): Float64Array {
  const rows = scores.length;
  const columns = m - 1;
  const design = new Float64Array(rows * columns);
  const targets = new Float64Array(rows);
  for (let k = 0; k < rows; k++) {
    const last = coalitions[k * m + columns]!;
    for (let j = 0; j < columns; j++) design[k * columns + j] = coalitions[k * m + j]! - last;
    targets[k] = scores[k]! - baselineScore - last * delta;
  }
  const head = weightedRidge(design, targets, weights, columns, 0);
  const attributions = new Float64Array(m);
  let sum = 0;
  for (let j = 0; j < columns; j++) sum += attributions[j] = head[j]!;
  attributions[columns] = delta - sum;
  return attributions;
}
