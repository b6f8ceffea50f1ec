import { resizeBilinearCpu } from '../../compute/kernels/resize-bilinear/resize-bilinear.cpu.js';
import { EvalError } from '../../errors.js';
import type { OnnxRuntime, OnnxSession } from '../../onnx/session.js';
import type { CnnValues } from '../../train/cnn/cnn-parameters.js';
import type { CnnSpec } from '../../train/cnn/cnn-spec.js';
import { checkInteger } from '../inputs.js';
import type { SaliencyMap } from '../explain-input.js';
import { cnnSaliencyModel, SALIENCY_TENSORS } from './cnn-saliency-graph.js';

/** What one saliency run gives: logits [n, classes], activations and their gradient [n, C, h, w], the input's gradient [n, C, H, W]. */
export interface SaliencyRun {
  logits: Float32Array;
  activations: Float32Array;
  activationGrad: Float32Array;
  inputGrad: Float32Array;
  /** The activations' [C, h, w]. */
  activationShape: [number, number, number];
}

/**
 * A network that answers the exact gradients of a class score (the logit: before the softmax, as
 * both papers explain it) with respect to its last feature maps and its input: what Grad-CAM and
 * Integrated Gradients need from it.
 */
export interface SaliencyNetwork {
  /** The preprocessed input it takes: [channels, height, width]. */
  readonly inputShape: readonly [number, number, number];
  readonly classes: number;
  /** `n` images [n, C, H, W] (preprocessed), each row's score the logit of `classIndex`. */
  run(images: Float32Array, n: number, classIndex: number): Promise<SaliencyRun>;
}

/**
 * Grad-CAM and Integrated Gradients of a `cnn` network from one ONNX Runtime graph
 * (cnn-saliency-graph.ts) over the trained values.
 */
export class CnnSaliencySession implements SaliencyNetwork {
  readonly spec: CnnSpec;
  readonly #session: OnnxSession;

  private constructor(spec: CnnSpec, session: OnnxSession) {
    this.spec = spec;
    this.#session = session;
  }

  get inputShape(): readonly [number, number, number] {
    return [this.spec.inputChannels, this.spec.height, this.spec.width];
  }

  get classes(): number {
    return this.spec.classes;
  }

  static async create(runtime: OnnxRuntime, spec: CnnSpec, values: CnnValues): Promise<CnnSaliencySession> {
    return new CnnSaliencySession(spec, await runtime.createSession(cnnSaliencyModel(spec, values), { executionProviders: ['cpu'] }));
  }

  /** `n` images [n, C, H, W] (preprocessed), each row's score the logit of `classIndex`. */
  async run(images: Float32Array, n: number, classIndex: number): Promise<SaliencyRun> {
    const { inputChannels, height, width, classes } = this.spec;
    const scoreGrad = new Float32Array(n * classes);
    for (let i = 0; i < n; i++) scoreGrad[i * classes + classIndex] = 1;
    const out = await this.#session.run({
      [SALIENCY_TENSORS.input]: { type: 'float32', dims: [n, inputChannels, height, width], data: images },
      [SALIENCY_TENSORS.scoreGrad]: { type: 'float32', dims: [n, classes], data: scoreGrad },
    });
    const activations = out[SALIENCY_TENSORS.activations]!;
    const [, c, h, w] = activations.dims as number[];
    return {
      logits: out[SALIENCY_TENSORS.logits]!.data as Float32Array,
      activations: activations.data as Float32Array,
      activationGrad: out[SALIENCY_TENSORS.activationGrad]!.data as Float32Array,
      inputGrad: out[SALIENCY_TENSORS.inputGrad]!.data as Float32Array,
      activationShape: [c!, h!, w!],
    };
  }

  release(): Promise<void> {
    return this.#session.release();
  }
}

/** The explained class: the given one (checked) or the top logit of `image`. */
export async function explainedClass(network: SaliencyNetwork, image: Float32Array, classIndex: number | undefined): Promise<{ classIndex: number; score: number }> {
  const { logits } = await network.run(image, 1, 0);
  if (classIndex === undefined) {
    const top = logits.reduce((best, v, i) => (v > logits[best]! ? i : best), 0);
    return { classIndex: top, score: logits[top]! };
  }
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= network.classes) {
    throw new EvalError('EVAL_OPTION_INVALID', `classIndex is ${classIndex}; the network has ${network.classes} classes, expected 0..${network.classes - 1}`);
  }
  return { classIndex, score: logits[classIndex]! };
}

/** A Grad-CAM map: at the image's resolution, and the coarse one at the activations' resolution. */
export interface GradCamMap extends SaliencyMap {
  coarse: Float32Array;
  coarseHeight: number;
  coarseWidth: number;
}

/**
 * Grad-CAM (Selvaraju et al. 2017) on the last block's feature maps A: ReLU(Σ_c α_c·A_c) with
 * α_c = mean over positions of dS/dA_c, upsampled bilinearly to the image (half-pixel centres,
 * PyTorch's `interpolate(mode='bilinear', align_corners=False)`). `image` is one preprocessed [C, H, W].
 */
export async function gradCam(session: SaliencyNetwork, image: Float32Array, classIndex?: number): Promise<GradCamMap> {
  const [, height, width] = session.inputShape;
  const chosen = await explainedClass(session, image, classIndex);
  const run = await session.run(image, 1, chosen.classIndex);
  const [channels, h, w] = run.activationShape;
  const area = h * w;
  const coarse = new Float32Array(area);
  for (let c = 0; c < channels; c++) {
    let alpha = 0;
    for (let p = 0; p < area; p++) alpha += run.activationGrad[c * area + p]!;
    alpha /= area;
    for (let p = 0; p < area; p++) coarse[p]! += alpha * run.activations[c * area + p]!;
  }
  for (let p = 0; p < area; p++) coarse[p] = Math.max(0, coarse[p]!);
  return { map: upsampleBilinear(coarse, h, w, height, width), height, width, classIndex: chosen.classIndex, baseScore: chosen.score, evaluations: 2, coarse, coarseHeight: h, coarseWidth: w };
}

/**
 * Bilinear upsampling as PyTorch's align_corners=False (half-pixel centres, edges clamped): the
 * resize-bilinear kernel's CPU reference in its pytorch_half_pixel mode.
 */
export function upsampleBilinear(source: Float32Array, inHeight: number, inWidth: number, outHeight: number, outWidth: number): Float32Array {
  const out = new Float32Array(outHeight * outWidth);
  resizeBilinearCpu({ dtype: 'f32', shape: [inHeight, inWidth], data: source }, { height: outHeight, width: outWidth, coordinateTransform: 'pytorch_half_pixel' }, out);
  return out;
}

export interface IntegratedGradientsOptions {
  /** Riemann steps (default 32): the gradient is taken at baseline + (k/steps)(x − baseline), k = 1..steps. */
  steps?: number;
  /** The baseline, one preprocessed [C, H, W] image; default all zeros (pass the preprocessed black image to start from black). */
  baseline?: Float32Array;
  classIndex?: number;
}

/** Integrated Gradients' map (summed over channels) with the per-value attributions and the completeness gap. */
export interface IntegratedGradientsMap extends SaliencyMap {
  /** [C, H, W]: (x − baseline) · mean of the path's gradients. */
  attributions: Float32Array;
  /** S(baseline): Σ attributions ≈ baseScore − baselineScore, closer with more steps. */
  baselineScore: number;
}

/**
 * Integrated Gradients (Sundararajan et al. 2017) by the right Riemann sum over `steps` points of
 * the straight path from the baseline to the image, all scored in one batched run.
 */
export async function integratedGradients(session: SaliencyNetwork, image: Float32Array, options: IntegratedGradientsOptions = {}): Promise<IntegratedGradientsMap> {
  const [inputChannels, height, width] = session.inputShape;
  const size = inputChannels * height * width;
  const steps = options.steps ?? 32;
  checkInteger('integratedGradients: steps', steps, 1);
  const baseline = options.baseline ?? new Float32Array(size);
  if (image.length !== size || baseline.length !== size) {
    throw new EvalError('EVAL_LENGTH_MISMATCH', `integratedGradients: the image has ${image.length} values and the baseline ${baseline.length}; the network takes ${inputChannels}×${height}×${width} = ${size}`);
  }
  const chosen = await explainedClass(session, image, options.classIndex);
  const path = new Float32Array(steps * size);
  for (let k = 0; k < steps; k++) {
    const t = (k + 1) / steps;
    for (let i = 0; i < size; i++) path[k * size + i] = baseline[i]! + t * (image[i]! - baseline[i]!);
  }
  const run = await session.run(path, steps, chosen.classIndex);
  const attributions = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let sum = 0;
    for (let k = 0; k < steps; k++) sum += run.inputGrad[k * size + i]!;
    attributions[i] = ((image[i]! - baseline[i]!) * sum) / steps;
  }
  const plane = height * width;
  const map = new Float32Array(plane);
  for (let c = 0; c < inputChannels; c++) for (let p = 0; p < plane; p++) map[p]! += attributions[c * plane + p]!;
  const baselineRun = await session.run(baseline, 1, chosen.classIndex);
  return { map, height, width, classIndex: chosen.classIndex, baseScore: chosen.score, evaluations: steps + 2, attributions, baselineScore: baselineRun.logits[chosen.classIndex]! };
}
