import { GELU_CUBIC, GELU_SQRT_2_OVER_PI, GELU_TANH_CLAMP } from '../compute/kernels/activation/activation-functions.js';
import { Tensor } from '../compute/tensor.js';
import { attr, OnnxGraphBuilder } from '../onnx/graph-builder.js';
import type { OnnxRuntime, OnnxSession } from '../onnx/session.js';
import type { Device } from '../compute/device.js';
import { dropout } from '../compute/kernels/dropout/dropout.js';
import { TrainError } from '../errors.js';
import type { Gradients, LossOptions } from './gradients.js';
import { crossEntropyGraph } from './loss-graph.js';
import { headParameters, layerWidths, parameterNames, type Head, type HeadSpec } from './head.js';

/**
 * A head's forward and backward pass as ONE ONNX graph, for training on the CPU: per step one
 * session.run instead of a dozen kernel calls and five product calls, each with its own
 * allocations and thread hops. It computes what `computeGradients` computes with the kernels —
 * the weighted, label-smoothed cross-entropy's gradient of every layer and each row's loss — in
 * f32: softmax − target times the row's weight, then per layer dW = aᵀ·d, db = Σ_rows d and
 * da = d·Wᵀ through the same dropout masks (drawn by the `dropout` kernel from the same seeds) and
 * the activation's derivative (GELU: the same tanh approximation and clamp as the kernels).
 */
export class FusedHeadGradients {
  readonly #session: OnnxSession;
  readonly #device: Device;
  readonly #spec: HeadSpec;
  readonly #onesByShape = new Map<string, Tensor>();

  private constructor(session: OnnxSession, device: Device, spec: HeadSpec) {
    this.#session = session;
    this.#device = device;
    this.#spec = spec;
  }

  /** For a CPU device (the tensors are read as host arrays). */
  static async create(runtime: OnnxRuntime, device: Device, spec: HeadSpec, labelSmoothing: number): Promise<FusedHeadGradients> {
    if (device.backend !== 'cpu') throw new TrainError('TRAIN_INVALID_OPTIONS', 'fused head gradients run on the host: they need a CPU device');
    const session = await runtime.createSession(headGradientsModel(spec, labelSmoothing), { executionProviders: ['cpu'] });
    return new FusedHeadGradients(session, device, spec);
  }

  /** The same contract as `computeGradients` (the loss's scale and weights; dropout seeds in training mode). */
  async compute(head: Head, x: Tensor, labels: Tensor, loss: LossOptions, dropoutSeeds: readonly number[] = []): Promise<Gradients> {
    const rows = labels.shape[0]!;
    const names = parameterNames(this.#spec);
    const parameters = headParameters(head);
    const feeds: Parameters<OnnxSession['run']>[0] = {
      x: hostFeed(x),
      labels: { type: 'int32', dims: [rows], data: labels.data as Int32Array },
      classWeights: hostFeed(loss.classWeights),
      rowWeights: loss.rowWeights ? hostFeed(loss.rowWeights) : { type: 'float32', dims: [rows], data: new Float32Array(rows).fill(1) },
      scale: { type: 'float32', dims: [], data: Float32Array.of(loss.scale) },
    };
    parameters.forEach((t, i) => (feeds[names[i]!] = hostFeed(t)));
    if (this.#spec.head === 'mlp' && this.#spec.dropout > 0) {
      // The dropout kernel's own masks: ones through it give 0 or 1/(1 − p) where it keeps a unit.
      for (const [l, width] of this.#spec.hidden.entries()) {
        feeds[`mask${l}`] = hostFeed((await this.#device.run(dropout, { x: this.#ones(rows, width) }, { p: this.#spec.dropout, seed: dropoutSeeds[l]! })).out);
      }
    }
    const out = await this.#session.run(feeds);
    const gradient = (name: string, like: Tensor) => Tensor.cpu('f32', like.shape, out[`grad.${name}`]!.data as Float32Array);
    const layers = head.layers.map((_, l) => ({ weight: gradient(names[2 * l]!, parameters[2 * l]!), bias: gradient(names[2 * l + 1]!, parameters[2 * l + 1]!) }));
    return { layers, rowLosses: Tensor.cpu('f32', [rows], out.rowLosses!.data as Float32Array) };
  }

  release(): Promise<void> {
    return this.#session.release();
  }

  /** A [rows, width] tensor of ones, kept per shape: a step would otherwise allocate one per hidden layer. */
  #ones(rows: number, width: number): Tensor {
    const key = `${rows}x${width}`;
    let ones = this.#onesByShape.get(key);
    if (!ones) this.#onesByShape.set(key, (ones = Tensor.cpu('f32', [rows, width], new Float32Array(rows * width).fill(1))));
    return ones;
  }
}

function hostFeed(t: Tensor) {
  return { type: 'float32' as const, dims: [...t.shape], data: t.data as Float32Array };
}

/** The gradients graph: inputs x, labels, classWeights, rowWeights, scale, the parameters, mask<l>; outputs grad.<parameter> and rowLosses. */
export function headGradientsModel(spec: HeadSpec, labelSmoothing: number): Uint8Array {
  const g = new OnnxGraphBuilder('cvf-head-gradients');
  const widths = layerWidths(spec);
  const names = parameterNames(spec);
  const last = widths.length - 2;
  const scalar = (name: string, value: number) => (g.has(name) ? name : g.initializer(name, Float32Array.of(value), []));
  const axes = (name: string, value: number) => (g.has(name) ? name : g.initializer(name, BigInt64Array.of(BigInt(value)), [1]));

  const x = g.input('x', 'float32', ['batch', spec.inputDim]);
  const labels = g.input('labels', 'int32', ['batch']);
  const classWeights = g.input('classWeights', 'float32', [spec.classes]);
  const rowWeights = g.input('rowWeights', 'float32', ['batch']);
  const scale = g.input('scale', 'float32', []);
  const weights = widths.slice(1).map((out, l) => g.input(names[2 * l]!, 'float32', [widths[l]!, out]));
  const biases = widths.slice(1).map((out, l) => g.input(names[2 * l + 1]!, 'float32', [out]));
  const dropout = spec.head === 'mlp' && spec.dropout > 0;
  const masks = dropout ? widths.slice(1, -1).map((w, l) => g.input(`mask${l}`, 'float32', ['batch', w])) : [];
  const activation = spec.head === 'mlp' ? spec.activation : 'relu';

  // Forward, keeping each layer's input and each hidden pre-activation.
  const layerInputs = [x];
  const preActivations: string[] = [];
  for (let l = 0; l < last; l++) {
    const z = g.gemm(layerInputs[l]!, weights[l]!, biases[l]!);
    preActivations.push(z);
    let h = activation === 'relu' ? g.relu(z) : gelu(g, z, scalar);
    if (dropout) h = g.mul(h, masks[l]!);
    layerInputs.push(h);
  }
  const logits = g.gemm(layerInputs[last]!, weights[last]!, biases[last]!);

  // Loss and dL/dlogits.
  const loss = crossEntropyGraph(g, logits, { labels, classWeights, rowWeights, scale }, spec.classes, labelSmoothing);
  let d = loss.dLogits;
  g.output(loss.rowLosses, 'rowLosses', ['batch']);

  // Backward, from the top layer down.
  for (let l = last; l >= 0; l--) {
    g.output(g.gemm(layerInputs[l]!, d, undefined, { transA: true }), `grad.${names[2 * l]}`, [widths[l]!, widths[l + 1]!]);
    g.output(g.reduceSum(d, axes('axes.0', 0), { keepdims: false }), `grad.${names[2 * l + 1]}`, [widths[l + 1]!]);
    if (l === 0) break;
    let da = g.gemm(d, weights[l]!, undefined, { transB: true });
    if (dropout) da = g.mul(da, masks[l - 1]!);
    const z = preActivations[l - 1]!;
    const slope = activation === 'relu' ? toFloat(g, g.node('Greater', [z, scalar('zero', 0)], { outputTypes: ['bool'] })[0]!) : geluDerivative(g, z, scalar);
    d = g.mul(da, slope);
  }
  return g.toBytes();
}

type Scalar = (name: string, value: number) => string;

/** A boolean tensor as 0/1 floats (ONNX Cast to FLOAT, type 1). */
function toFloat(g: OnnxGraphBuilder, condition: string): string {
  return g.node('Cast', [condition], { attributes: [attr.int('to', 1)], outputTypes: ['float32'] })[0]!;
}

/** tanh(clamp(√(2/π)·(x + 0.044715·x³), ±10)), as activation-functions.ts computes it. */
function geluTanh(g: OnnxGraphBuilder, x: string, scalar: Scalar): string {
  const u = g.mul(g.add(x, g.mul(g.mul(g.mul(x, x), x), scalar('gelu.cubic', GELU_CUBIC))), scalar('gelu.sqrt_2_over_pi', GELU_SQRT_2_OVER_PI));
  const clipped = g.node('Clip', [u, scalar('gelu.clip_min', -GELU_TANH_CLAMP), scalar('gelu.clip_max', GELU_TANH_CLAMP)])[0]!;
  return g.node('Tanh', [clipped])[0]!;
}

function gelu(g: OnnxGraphBuilder, x: string, scalar: Scalar): string {
  return g.mul(g.mul(x, scalar('half', 0.5)), g.add(geluTanh(g, x, scalar), scalar('one', 1)));
}

/** ½(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²), t = geluTanh(x). */
function geluDerivative(g: OnnxGraphBuilder, x: string, scalar: Scalar): string {
  const t = geluTanh(g, x, scalar);
  const first = g.mul(g.add(t, scalar('one', 1)), scalar('half', 0.5));
  const oneMinusT2 = g.sub(scalar('one', 1), g.mul(t, t));
  const inner = g.add(scalar('one', 1), g.mul(g.mul(x, x), scalar('gelu.cubic3', 3 * GELU_CUBIC)));
  const second = g.mul(g.mul(g.mul(g.mul(x, scalar('half', 0.5)), oneMinusT2), scalar('gelu.sqrt_2_over_pi', GELU_SQRT_2_OVER_PI)), inner);
  return g.add(first, second);
}
