import { Tensor } from '../compute/tensor.js';
import type { PcaState } from '../features/pca/pca.js';
import { hostData } from '../train/head-file.js';
import type { Head } from '../train/head.js';

/**
 * A CNN's linear classifier (logits = e·W + b over the embedding e) moved after the PCA that the
 * bundle's case index searches in, so the bundle keeps its one shape — extractor → PCA → head:
 * with f = (e − μ)·Vᵀ·S (V the components, S the whitening scale or 1), e = μ + f·S⁻¹·V wherever
 * e − μ lies in the components' span, hence W' = S⁻¹·V·W and b' = b + μ·W. Exact when PCA keeps
 * every dimension of the embedding; with fewer components the classifier sees the embedding's
 * projection onto them (what the run evaluates, as serving computes it).
 */
export function classifierOverPca(head: Head, pca: PcaState): Head {
  const { dim, componentCount, whiten, mean, components, explainedVariance } = pca;
  const layer = head.layers[0]!;
  const classes = head.spec.classes;
  const weight = hostData(layer.weight, 'classifier weight');
  const bias = hostData(layer.bias, 'classifier bias');
  const folded = new Float32Array(componentCount * classes);
  for (let k = 0; k < componentCount; k++) {
    const ev = explainedVariance[k]!;
    const inverseScale = whiten ? (ev > 0 ? Math.sqrt(ev) : 0) : 1;
    for (let c = 0; c < classes; c++) {
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += components[k * dim + d]! * weight[d * classes + c]!;
      folded[k * classes + c] = sum * inverseScale;
    }
  }
  const shifted = Float32Array.from(bias, (b, c) => {
    let sum = b;
    for (let d = 0; d < dim; d++) sum += mean[d]! * weight[d * classes + c]!;
    return sum;
  });
  return {
    spec: { head: 'softmax', inputDim: componentCount, classes },
    layers: [{ weight: Tensor.cpu('f32', [componentCount, classes], folded), bias: Tensor.cpu('f32', [classes], shifted) }],
  };
}
