import type { Device } from '../../compute/device.js';
import { Tensor } from '../../compute/tensor.js';
import { EvalError } from '../../errors.js';
import type { ImportedGraph } from '../../train/import/imported-graph.js';
import { forwardContext, type Layer } from '../../train/tape/layer.js';
import { Sequential } from '../../train/tape/sequential.js';
import { Tape } from '../../train/tape/tape.js';
import type { SaliencyNetwork, SaliencyRun } from './cnn-saliency.js';

/**
 * Grad-CAM and Integrated Gradients of any imported network (a bundle's ONNX backbone read by the
 * importer, then its classifier) from the tape's exact gradients on a Device: the backbone is cut
 * where its last global average pooling reads the feature maps, so one tape records the features
 * and a second the pooling and the classifier; the second's backward gives dS/dA, which the first
 * carries back to the image.
 */
export class TapeSaliencyNetwork implements SaliencyNetwork {
  readonly inputShape: readonly [number, number, number];
  readonly classes: number;
  readonly #device: Device;
  readonly #features: ImportedGraph;
  readonly #scores: Layer;

  constructor(device: Device, backbone: ImportedGraph, classifier: Layer, inputShape: readonly [number, number, number], classes: number) {
    const pool = [...backbone.ops].reverse().find((op) => op.op === 'GlobalAveragePool');
    if (!pool) throw new EvalError('EVAL_OPTION_INVALID', `gradcam and ig need a network whose feature maps end in global average pooling; "${backbone.name}" has none`);
    const { before, after } = backbone.split(pool.inputs[0]!);
    this.#device = device;
    this.#features = before;
    this.#scores = new Sequential('scores', [after, classifier]);
    this.inputShape = inputShape;
    this.classes = classes;
  }

  async run(images: Float32Array, n: number, classIndex: number): Promise<SaliencyRun> {
    const device = this.#device;
    const x = device.upload(Tensor.cpu('f32', [n, ...this.inputShape], images));
    const scoreGrad = new Float32Array(n * this.classes);
    for (let i = 0; i < n; i++) scoreGrad[i * this.classes + classIndex] = 1;
    const rootGradient = device.upload(Tensor.cpu('f32', [n, this.classes], scoreGrad));
    const featureTape = new Tape(device);
    featureTape.watch(x);
    const activations = await this.#features.forward(forwardContext(device, { training: false, tape: featureTape }), x);
    const scoreTape = new Tape(device);
    scoreTape.watch(activations);
    const logits = await this.#scores.forward(forwardContext(device, { training: false, tape: scoreTape }), activations);
    const read = async (t: Tensor) => Float32Array.from((await device.read(t)) as Float32Array);
    try {
      const logitValues = await read(logits);
      const scored = await scoreTape.backward(logits, rootGradient);
      disposeAll(scored.parameters.values());
      const activationGrad = scored.inputs.get(activations)!;
      const traced = await featureTape.backward(activations, activationGrad);
      disposeAll(traced.parameters.values());
      const inputGrad = traced.inputs.get(x)!;
      const [, c, h, w] = activations.shape as [number, number, number, number];
      const run = { logits: logitValues, activations: await read(activations), activationGrad: await read(activationGrad), inputGrad: await read(inputGrad), activationShape: [c, h, w] as [number, number, number] };
      disposeAll([activationGrad, inputGrad]);
      return run;
    } finally {
      disposeAll([x, rootGradient, activations, logits]);
    }
  }
}

function disposeAll(tensors: Iterable<Tensor>): void {
  for (const t of tensors) t.dispose();
}
