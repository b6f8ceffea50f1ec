import {
  bundleSaliencyNetwork,
  explainImageByGradients,
  explainPrediction,
  gridSuperpixels,
  kernelShapMap,
  limeMap,
  predictorScores,
  type DecodedInput,
  type Device,
  type PlanarImage,
  type PredictFn,
  type Predictor,
  type SaliencyMap,
  type SaliencyNetwork,
} from '@cvf/core';
import type { ViewerExplainMethod } from './explain-availability.js';

/** LIME and SHAP settings: core's defaults (as `cvf explain`), the seed fixed so the same image gives the same map. */
export const SUPERPIXEL_SETTINGS = { seed: 0, samples: 500, segments: 36 } as const;

/** Integrated Gradients' Riemann steps (core's default); Grad-CAM and IG also score the image (and IG its baseline) once. */
const IG_STEPS = 32;

/** A map on screen: which method made it and, for LIME and SHAP, one attribution per grid superpixel. */
export type ViewerExplanation = SaliencyMap & { readonly method: ViewerExplainMethod; readonly attributions?: readonly number[] };

/** Images scored so far, of `total`. */
export type ExplainProgress = (done: number, total: number) => void;

export interface ExplainRequest {
  readonly device: Device;
  readonly predictor: Predictor;
  /** The model's input as decoded (what the Predictor takes), for the gradient methods' preprocessing. */
  readonly input: DecodedInput;
  /** The same image planar on 0..1, as the model-agnostic methods perturb it. */
  readonly image: PlanarImage;
  readonly classIndex: number;
  readonly method: ViewerExplainMethod;
  /** Aborting it stops the work at the next batch of model calls. */
  readonly signal: AbortSignal;
  readonly onProgress: ExplainProgress;
}

/** The networks of the gradient methods, read from a bundle's ONNX once per loaded model. */
const networks = new WeakMap<Predictor, SaliencyNetwork>();

/**
 * One explanation of the image on screen, computed in this page: the model-agnostic methods call
 * the viewer's Predictor (onnxruntime-web) on batches of perturbed images, the gradient methods run
 * the bundle's network on the tape on the viewer's Device. Nothing leaves the page.
 */
export async function runExplanation(request: ExplainRequest): Promise<ViewerExplanation> {
  const { device, predictor, image, classIndex, method, signal, onProgress } = request;
  signal.throwIfAborted();
  if (method === 'occlusion') return { method, ...(await explainPrediction(device, predictor, image, classIndex)) };
  if (method === 'lime' || method === 'shap') {
    const total = superpixelEvaluations(method, image);
    const predict = counted(predictorScores(device, predictor, image), signal, (done) => onProgress(done, total));
    const options = { ...SUPERPIXEL_SETTINGS, classIndex };
    const result = method === 'lime' ? await limeMap(predict, image, options) : await kernelShapMap(predict, image, options);
    const { map, height, width, baseScore, evaluations } = result;
    return { method, map, height, width, classIndex: result.classIndex, baseScore, evaluations, attributions: Array.from(result.attributions) };
  }
  const total = method === 'gradcam' ? 2 : IG_STEPS + 2;
  const network = tracked(gradientNetwork(device, predictor), signal, (done) => onProgress(done, total));
  const result = await explainImageByGradients(device, network, predictor.bundle.manifest.preprocess, request.input, image, { method, classIndex, steps: IG_STEPS });
  return { ...result, method };
}

/** The images LIME or kernel SHAP will score with the viewer's settings, the unaltered one included. */
export function superpixelEvaluations(method: 'lime' | 'shap', image: Pick<PlanarImage, 'height' | 'width'>): number {
  const { samples, segments } = SUPERPIXEL_SETTINGS;
  if (method === 'lime') return samples + 1;
  const m = gridSuperpixels(image.height, image.width, segments).count;
  if (m === 1) return 2;
  // Kernel SHAP scores f(x) and f(all hidden), then every coalition when they fit the budget, else sampled pairs.
  return 2 + (m <= 16 && 2 ** m - 2 <= samples ? 2 ** m - 2 : 2 * Math.ceil(samples / 2));
}

function gradientNetwork(device: Device, predictor: Predictor): SaliencyNetwork {
  let network = networks.get(predictor);
  if (!network) networks.set(predictor, (network = bundleSaliencyNetwork(predictor.bundle, device)));
  return network;
}

/** `predict` that stops when `signal` aborts and reports the images scored so far. */
function counted(predict: PredictFn, signal: AbortSignal, report: (done: number) => void): PredictFn {
  let done = 0;
  return async (batch, n) => {
    signal.throwIfAborted();
    const scores = await predict(batch, n);
    signal.throwIfAborted();
    report((done += n));
    return scores;
  };
}

/** The network, stopping when `signal` aborts and reporting the images run through it. */
function tracked(network: SaliencyNetwork, signal: AbortSignal, report: (done: number) => void): SaliencyNetwork {
  let done = 0;
  return {
    inputShape: network.inputShape,
    classes: network.classes,
    async run(images, n, classIndex) {
      signal.throwIfAborted();
      const run = await network.run(images, n, classIndex);
      signal.throwIfAborted();
      report((done += n));
      return run;
    },
  };
}
