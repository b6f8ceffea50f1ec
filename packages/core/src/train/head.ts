import type { ActivationFunction } from '../compute/kernels/activation/activation-functions.js';
import { ACTIVATION_FUNCTIONS } from '../compute/kernels/activation/activation-functions.js';
import type { Device } from '../compute/device.js';
import { Rng } from '../compute/random.js';
import { Tensor } from '../compute/tensor.js';
import { TrainError } from '../errors.js';
import { deriveSeed, SEED_PURPOSE } from './seeds.js';

/** A linear layer + softmax: multinomial logistic regression over the features. */
export interface SoftmaxHeadSpec {
  readonly head: 'softmax';
  readonly inputDim: number;
  readonly classes: number;
}

/** Hidden layers (linear → activation → dropout), then a linear layer + softmax. */
export interface MlpHeadSpec {
  readonly head: 'mlp';
  readonly inputDim: number;
  readonly classes: number;
  readonly hidden: readonly number[];
  /** GELU is the tanh approximation, in training and in the ONNX export alike. */
  readonly activation: ActivationFunction;
  /** Probability of dropping each hidden unit while training, in [0, 1). */
  readonly dropout: number;
}

export type HeadSpec = SoftmaxHeadSpec | MlpHeadSpec;

/** out = x · weight + bias, with weight stored [in, out] (ONNX MatMul/Gemm order). */
export interface DenseLayer {
  readonly weight: Tensor;
  readonly bias: Tensor;
}

/** A head's architecture and its parameters, on the host or on a device. */
export interface Head {
  readonly spec: HeadSpec;
  readonly layers: readonly DenseLayer[];
}

/** Layer widths from input to classes: [inputDim, ...hidden, classes]. */
export function layerWidths(spec: HeadSpec): number[] {
  return [spec.inputDim, ...(spec.head === 'mlp' ? spec.hidden : []), spec.classes];
}

export function validateHeadSpec(spec: HeadSpec): void {
  const bad = (message: string) => new TrainError('TRAIN_INVALID_OPTIONS', message);
  if ((spec.head as string) !== 'softmax' && (spec.head as string) !== 'mlp') throw bad(`head "${spec.head}" is not one of softmax, mlp`);
  if (!Number.isInteger(spec.inputDim) || spec.inputDim < 1) throw bad(`head inputDim ${spec.inputDim} must be a positive integer`);
  if (!Number.isInteger(spec.classes) || spec.classes < 2) throw bad(`head classes ${spec.classes} must be an integer ≥ 2`);
  if (spec.head === 'mlp') {
    if (spec.hidden.length === 0 || !spec.hidden.every((w) => Number.isInteger(w) && w >= 1)) throw bad(`mlp hidden [${spec.hidden.join(', ')}] must be one or more positive integers`);
    if (!ACTIVATION_FUNCTIONS.includes(spec.activation)) throw bad(`mlp activation "${spec.activation}" is not one of ${ACTIVATION_FUNCTIONS.join(', ')}`);
    if (!(spec.dropout >= 0 && spec.dropout < 1)) throw bad(`mlp dropout ${spec.dropout} must be in [0, 1)`);
  }
}

/**
 * A new head on the host: weights uniform in ±1/√fan_in (PyTorch's default for linear layers),
 * biases zero, drawn from the seed alone.
 */
export function createHead(spec: HeadSpec, seed: number): Head {
  validateHeadSpec(spec);
  const rng = new Rng(deriveSeed(seed, SEED_PURPOSE.init));
  const widths = layerWidths(spec);
  const layers: DenseLayer[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    const fanIn = widths[l]!;
    const fanOut = widths[l + 1]!;
    const bound = 1 / Math.sqrt(fanIn);
    layers.push({ weight: Tensor.cpu('f32', [fanIn, fanOut], rng.floats(fanIn * fanOut, -bound, bound)), bias: Tensor.cpu('f32', [fanOut]) });
  }
  return { spec, layers };
}

/** Shapes of `headParameters`: [in, out] and [out] per layer. */
export function parameterShapes(spec: HeadSpec): number[][] {
  const widths = layerWidths(spec);
  return widths.slice(1).flatMap((out, l) => [[widths[l]!, out], [out]]);
}

/** A host head over parameter values in `headParameters` order (copied). */
export function headFromValues(spec: HeadSpec, values: readonly Float32Array[]): Head {
  const shapes = parameterShapes(spec);
  return headFromParameters(spec, values.map((data, i) => Tensor.cpu('f32', shapes[i]!, data.slice())));
}

/** Every parameter tensor in a fixed order: weight, bias of layer 0, then layer 1, ... */
export function headParameters(head: Head): Tensor[] {
  return head.layers.flatMap((layer) => [layer.weight, layer.bias]);
}

/** Names of `headParameters`, for checkpoints: `layer0.weight`, `layer0.bias`, ... */
export function parameterNames(spec: HeadSpec): string[] {
  return layerWidths(spec)
    .slice(1)
    .flatMap((_, l) => [`layer${l}.weight`, `layer${l}.bias`]);
}

/** The inverse of `headParameters`. */
export function headFromParameters(spec: HeadSpec, parameters: readonly Tensor[]): Head {
  const layers: DenseLayer[] = [];
  for (let l = 0; 2 * l < parameters.length; l++) layers.push({ weight: parameters[2 * l]!, bias: parameters[2 * l + 1]! });
  return { spec, layers };
}

/** The head with its parameters on `device` (no copies where they are already there). */
export function uploadHead(device: Device, head: Head): Head {
  return headFromParameters(head.spec, headParameters(head).map((t) => device.upload(t)));
}

/** A host copy of a head whose parameters may live on a GPU (one read per tensor). */
export async function headToHost(device: Device, head: Head): Promise<Head> {
  const host = await Promise.all(headParameters(head).map(async (t) => Tensor.cpu('f32', t.shape, (await device.read(t)).slice() as Float32Array)));
  return headFromParameters(head.spec, host);
}

export function disposeHead(head: Head): void {
  for (const tensor of headParameters(head)) tensor.dispose();
}
