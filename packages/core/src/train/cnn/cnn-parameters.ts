import { Rng } from '../../compute/random.js';
import { TrainError } from '../../errors.js';
import { deriveSeed, SEED_PURPOSE } from '../seeds.js';
import { planCnn, type CnnPlan, type CnnSpec, type ConvShape } from './cnn-spec.js';

/**
 * A network's values in ONNX's layouts, so the exported graph, the ORT training step and the
 * Device kernels read the same arrays: conv weight [out, in, kh, kw] (no bias: BN follows),
 * BN scale, bias, running mean and running variance [channels], the classifier weight
 * [embedding, classes] (Gemm's B, as the heads keep it) and bias [classes].
 */
export interface CnnTensor {
  readonly name: string;
  readonly shape: readonly number[];
}

export interface CnnLayout {
  /** Trained by the optimizer, in a fixed order. */
  readonly parameters: readonly CnnTensor[];
  /** BN running statistics: updated by the forward pass, not by gradients. */
  readonly buffers: readonly CnnTensor[];
}

/** Every convolution of the plan, in forward order. */
export function convolutions(plan: CnnPlan): ConvShape[] {
  return plan.blocks.flatMap((block) => (block.kind === 'conv' ? [block.conv] : block.kind === 'residual' ? [block.conv1, block.conv2, ...(block.shortcut ? [block.shortcut] : [])] : []));
}

export function cnnLayout(spec: CnnSpec): CnnLayout {
  const plan = planCnn(spec);
  const parameters: CnnTensor[] = [];
  const buffers: CnnTensor[] = [];
  for (const conv of convolutions(plan)) {
    parameters.push({ name: `${conv.name}.weight`, shape: [conv.outChannels, conv.inChannels, conv.kernel, conv.kernel] });
    parameters.push({ name: `${conv.name}.bn.scale`, shape: [conv.outChannels] }, { name: `${conv.name}.bn.bias`, shape: [conv.outChannels] });
    buffers.push({ name: `${conv.name}.bn.mean`, shape: [conv.outChannels] }, { name: `${conv.name}.bn.var`, shape: [conv.outChannels] });
  }
  parameters.push({ name: 'fc.weight', shape: [plan.embeddingDim, spec.classes] }, { name: 'fc.bias', shape: [spec.classes] });
  return { parameters, buffers };
}

/** A network's values by tensor name (parameters and buffers). */
export type CnnValues = ReadonlyMap<string, Float32Array>;

/**
 * Fresh values from the seed alone: conv weights He-normal (std √(2 / fan_in), fan_in = in·kh·kw,
 * for the ReLU that follows), BN scale 1 and bias 0, running mean 0 and variance 1, the classifier
 * uniform in ±1/√embedding (the heads' initialisation) with bias 0.
 */
export function initCnnValues(spec: CnnSpec, seed: number): Map<string, Float32Array> {
  const layout = cnnLayout(spec);
  const rng = new Rng(deriveSeed(seed, SEED_PURPOSE.init));
  const values = new Map<string, Float32Array>();
  for (const { name, shape } of layout.parameters) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (name === 'fc.weight') values.set(name, rng.floats(size, -1 / Math.sqrt(shape[0]!), 1 / Math.sqrt(shape[0]!)));
    else if (name.endsWith('.weight')) {
      const std = Math.sqrt(2 / (shape[1]! * shape[2]! * shape[3]!));
      values.set(name, Float32Array.from({ length: size }, () => std * rng.normal()));
    } else values.set(name, new Float32Array(size).fill(name.endsWith('.bn.scale') ? 1 : 0));
  }
  for (const { name, shape } of layout.buffers) values.set(name, new Float32Array(shape[0]!).fill(name.endsWith('.bn.var') ? 1 : 0));
  return values;
}

/** Checks that `values` holds every tensor of the layout at its size (a checkpoint or file of another network fails here). */
export function checkCnnValues(spec: CnnSpec, values: CnnValues): void {
  const layout = cnnLayout(spec);
  for (const { name, shape } of [...layout.parameters, ...layout.buffers]) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = values.get(name);
    if (!data || data.length !== size) throw new TrainError('TRAIN_CHECKPOINT_MISMATCH', `cnn tensor "${name}" ${data ? `has ${data.length} values` : 'is missing'}; the network needs [${shape.join(', ')}]`);
  }
}
