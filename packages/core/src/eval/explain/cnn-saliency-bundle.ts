import { findStage, stageFiles, type Bundle } from '../../bundle/bundle.js';
import type { Device } from '../../compute/device.js';
import { Tensor } from '../../compute/tensor.js';
import { CvfError, EvalError } from '../../errors.js';
import { decodeComponentState, type ComponentHeader } from '../../features/component-state.js';
import { Pca } from '../../features/pca/pca.js';
import { loadHead } from '../../train/head-file.js';
import { importOnnxModel } from '../../train/import/onnx-import.js';
import { ActivationLayer } from '../../train/tape/activation-layer.js';
import type { Layer } from '../../train/tape/layer.js';
import { LinearLayer } from '../../train/tape/linear-layer.js';
import { Sequential } from '../../train/tape/sequential.js';
import { TapeSaliencyNetwork } from './cnn-saliency-tape.js';

/** The explanations that need the network's gradients, and those any bundle answers. */
export const GRADIENT_METHODS = ['gradcam', 'ig'] as const;
const ANY_MODEL = 'occlusion, lime or shap';

const refuse = (why: string) => new EvalError('EVAL_OPTION_INVALID', `gradcam and ig explain a convolutional network (model.head cnn, or a fine-tuned onnx backbone) from its gradients; ${why}: use ${ANY_MODEL}`);

/**
 * A bundle's forward pass on the tape, from the preprocessed image to the head's logits: its ONNX
 * extractor read by the importer (so the bundle stores nothing new: the blocks are the graph's),
 * then its PCA and head as linear layers. A bundle without an ONNX extractor of supported ops, or
 * with a kNN head, is refused naming the methods that work for it.
 */
export function bundleSaliencyNetwork(bundle: Bundle, device: Device): TapeSaliencyNetwork {
  const { manifest } = bundle;
  const extractor = findStage(manifest, 'extractor');
  if (!extractor || extractor.params.kind !== 'onnx') throw refuse(`this bundle's extractor is ${extractor?.params.kind ?? 'missing'}`);
  const head = findStage(manifest, 'head');
  if (!head) throw refuse("this bundle's head is a kNN vote, which has no gradient");
  const { header, body } = decodeComponentState<ComponentHeader & { output: string }>(stageFiles(bundle, extractor).state, 'onnx', [1]);
  let network;
  try {
    network = importOnnxModel(body, { output: header.output });
  } catch (error) {
    if (error instanceof CvfError && error.code === 'ONNX_OP_UNSUPPORTED') throw refuse(`this bundle's extractor cannot be read as one: ${error.message}`);
    throw error;
  }
  const layers: Layer[] = [];
  const pcaStage = findStage(manifest, 'pca');
  if (pcaStage) layers.push(pcaLayer(Pca.load(stageFiles(bundle, pcaStage).state, { device }).state));
  const trained = loadHead(stageFiles(bundle, head).state);
  trained.layers.forEach((dense, k) => {
    const [inputs, outputs] = dense.weight.shape as [number, number];
    const layer = new LinearLayer(`head.${k}`, inputs, outputs);
    layer.weight.value = Tensor.cpu('f32', [inputs, outputs], Float32Array.from(dense.weight.data as Float32Array));
    layer.bias.value = Tensor.cpu('f32', [outputs], Float32Array.from(dense.bias.data as Float32Array));
    if (k > 0 && trained.spec.head === 'mlp') layers.push(new ActivationLayer(`head.${k}.activation`, trained.spec.activation));
    layers.push(layer);
  });
  const { height, width } = manifest.preprocess.resize;
  const channels = manifest.preprocess.color === 'rgb' ? 3 : 1;
  return new TapeSaliencyNetwork(device, network.graph, new Sequential('classifier', layers), [channels, height, width], manifest.classes.length);
}

/** PCA's transform (x − mean)·Wᵀ, whitening folded into W as `Pca` does it, as one linear layer. */
function pcaLayer(state: Pca['state']): LinearLayer {
  const { dim, componentCount, whiten, components, explainedVariance, mean } = state;
  const layer = new LinearLayer('pca', dim, componentCount);
  const weight = new Float32Array(dim * componentCount);
  const bias = new Float32Array(componentCount);
  for (let k = 0; k < componentCount; k++) {
    const ev = explainedVariance[k]!;
    const scale = whiten ? (ev > 0 ? 1 / Math.sqrt(ev) : 0) : 1;
    for (let c = 0; c < dim; c++) {
      const w = components[k * dim + c]! * scale;
      weight[c * componentCount + k] = w;
      bias[k]! -= mean[c]! * w;
    }
  }
  layer.weight.value = Tensor.cpu('f32', [dim, componentCount], weight);
  layer.bias.value = Tensor.cpu('f32', [componentCount], bias);
  return layer;
}
