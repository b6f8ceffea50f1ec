import { findStage, type BundleManifest } from '@cvf/core';

/** The explanation methods the viewer offers, in the order of its menu: occlusion first (the fastest, any model). */
export const VIEWER_EXPLAIN_METHODS = ['occlusion', 'lime', 'shap', 'gradcam', 'ig'] as const;
export type ViewerExplainMethod = (typeof VIEWER_EXPLAIN_METHODS)[number];

export const EXPLAIN_METHOD_LABELS: Record<ViewerExplainMethod, string> = {
  occlusion: 'Occlusion',
  lime: 'LIME',
  shap: 'Kernel SHAP',
  gradcam: 'Grad-CAM',
  ig: 'Integrated Gradients',
};

/** What of a bundle decides which explanations it answers. */
export interface ExplainTraits {
  /** The extractor's `features.kind` (onnx, hog, pixels, …), null when the bundle has none. */
  readonly extractor: string | null;
  /** Whether a trained head (softmax or MLP) classifies; false for a kNN vote over the case index. */
  readonly trainedHead: boolean;
}

export type MethodAvailability = { readonly available: true } | { readonly available: false; readonly reason: string };

export function explainTraits(manifest: BundleManifest): ExplainTraits {
  return { extractor: findStage(manifest, 'extractor')?.params.kind ?? null, trainedHead: findStage(manifest, 'head') !== undefined };
}

/**
 * Which methods a bundle answers. Occlusion, LIME and SHAP only call the Predictor, so every bundle
 * answers them. Grad-CAM and IG need the network's gradients: an ONNX extractor (a `cnn` model's
 * network or a fine-tuned backbone, read into tape layers) and a trained head; anything else is
 * refused with the reason, as `cvf explain` refuses it. An ONNX extractor with operators the
 * importer does not read is refused only when the map is asked for (the importer names the operator).
 */
export function explainAvailability(traits: ExplainTraits): Record<ViewerExplainMethod, MethodAvailability> {
  const gradients = gradientAvailability(traits);
  return { occlusion: { available: true }, lime: { available: true }, shap: { available: true }, gradcam: gradients, ig: gradients };
}

function gradientAvailability({ extractor, trainedHead }: ExplainTraits): MethodAvailability {
  if (extractor !== 'onnx') return { available: false, reason: `needs a convolutional network (model.head cnn or a fine-tuned ONNX backbone); this model's features are ${extractor ?? 'missing'}` };
  if (!trainedHead) return { available: false, reason: "needs a trained head; this model's head is a kNN vote, which has no gradient" };
  return { available: true };
}
