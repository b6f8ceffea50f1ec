import type { Device } from '../../compute/device.js';
import { softmaxCrossEntropy } from '../../compute/kernels/softmax-cross-entropy/softmax-cross-entropy.js';
import { Tensor } from '../../compute/tensor.js';
import { forwardContext } from '../tape/layer.js';
import { Tape } from '../tape/tape.js';
import type { CnnValues } from './cnn-parameters.js';
import type { CnnBatch } from './cnn-sessions.js';
import type { CnnSpec } from './cnn-spec.js';
import type { CnnStepGradients, CnnStepper } from './cnn-stepper.js';
import { CnnTapeNetwork } from './cnn-webgpu-network.js';

/**
 * Images per inference pass of `logits`: 256, fewer for large images, so one pass's input stays
 * under 2^22 values (16 MiB): the activations held at once scale with it (27 images of 224² RGB).
 */
function evalRows(item: number): number {
  return Math.max(1, Math.min(256, Math.floor(2 ** 22 / item)));
}

/**
 * The WebGPU stepper: a step is the network's forward pass recorded on a tape, the
 * `softmax-cross-entropy` kernel (the weighted, label-smoothed loss of the CPU step graph) and the
 * tape's backward pass, all on the device. Parameters, gradients, BN statistics and (in the
 * trainer) the optimizer's state stay there; per step only the batch goes up and the row losses
 * come back.
 */
export class TapeCnnStepper implements CnnStepper {
  readonly device: Device;
  readonly network: CnnTapeNetwork;
  readonly #labelSmoothing: number;
  #classWeights: { host: Float32Array; tensor: Tensor } | null = null;

  constructor(device: Device, spec: CnnSpec, labelSmoothing: number) {
    this.device = device;
    this.network = new CnnTapeNetwork(spec);
    this.#labelSmoothing = labelSmoothing;
  }

  load(values: CnnValues): Tensor[] {
    return this.network.load(this.device, values);
  }

  async step(parameters: readonly Tensor[], batch: CnnBatch, classWeights: Float32Array, scale: number): Promise<CnnStepGradients> {
    const { device, network } = this;
    const { inputChannels, height, width } = network.spec;
    const rows = batch.labels.length;
    network.setParameters(parameters);
    const x = device.upload(Tensor.cpu('f32', [rows, inputChannels, height, width], batch.x));
    const labels = device.upload(Tensor.cpu('i32', [rows], batch.labels));
    const rowWeights = device.upload(Tensor.cpu('f32', [rows], batch.rowWeights ?? new Float32Array(rows).fill(1)));
    const tape = new Tape(device);
    const { logits } = await network.forward(forwardContext(device, { training: true, tape }), x);
    const { grad, loss } = await device.run(softmaxCrossEntropy, { logits, labels, weights: this.#weights(classWeights), rowWeights }, { labelSmoothing: this.#labelSmoothing, scale });
    const { parameters: byName } = await tape.backward(logits, grad);
    // Read after the backward pass is queued: one wait for the GPU per step.
    const rowLosses = ((await device.read(loss)) as Float32Array).slice();
    for (const t of [loss, grad, logits, x, labels, rowWeights]) t.dispose();
    return { gradients: network.layout.parameters.map(({ name }) => byName.get(name)!), rowLosses };
  }

  async logits(parameters: readonly Tensor[], images: Float32Array): Promise<Float32Array> {
    const { device, network } = this;
    const { inputChannels, height, width, classes } = network.spec;
    const item = inputChannels * height * width;
    const rows = images.length / item;
    network.setParameters(parameters);
    const out = new Float32Array(rows * classes);
    const perPass = evalRows(item);
    for (let start = 0; start < rows; start += perPass) {
      const n = Math.min(perPass, rows - start);
      const x = device.upload(Tensor.cpu('f32', [n, inputChannels, height, width], images.subarray(start * item, (start + n) * item)));
      const { embedding, logits } = await network.forward(forwardContext(device, { training: false }), x);
      out.set((await device.read(logits)) as Float32Array, start * classes);
      for (const t of [embedding, logits, x]) t.dispose();
    }
    return out;
  }

  values(parameters: readonly Tensor[]): Promise<Map<string, Float32Array>> {
    this.network.setParameters(parameters);
    return this.network.values(this.device);
  }

  async release(): Promise<void> {
    this.#classWeights?.tensor.dispose();
    this.#classWeights = null;
  }

  /** The class weights on the device, uploaded again only when they change. */
  #weights(host: Float32Array): Tensor {
    if (this.#classWeights?.host !== host) {
      this.#classWeights?.tensor.dispose();
      this.#classWeights = { host, tensor: this.device.upload(Tensor.cpu('f32', [host.length], host)) };
    }
    return this.#classWeights.tensor;
  }
}
