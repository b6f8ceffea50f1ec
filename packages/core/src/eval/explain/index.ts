export { gridSuperpixels, paintSuperpixels, type Superpixels } from './superpixels.js';
export type { SuperpixelExplanation, SuperpixelOptions } from './explain-options.js';
export { limeMap, type LimeExplanation, type LimeOptions } from './lime.js';
export { kernelShapMap, shapleyKernelWeight, type KernelShapExplanation } from './kernel-shap.js';
export { cnnSaliencyModel, SALIENCY_TENSORS } from './cnn-saliency-graph.js';
export { CnnSaliencySession, gradCam, integratedGradients, type GradCamMap, type IntegratedGradientsMap, type IntegratedGradientsOptions, type SaliencyRun } from './cnn-saliency.js';
