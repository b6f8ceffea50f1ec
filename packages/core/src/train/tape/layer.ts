import type { Device } from '../../compute/device.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import type { Tape } from './tape.js';

/** How a forward pass runs: on which Device, in training or evaluation, recorded or not. */
export interface ForwardContext {
  readonly device: Device;
  /** Training: batch statistics in batch norm, dropout active. */
  readonly training: boolean;
  /** Records the pass for `backward`; null for inference, where layers release what they no longer need. */
  readonly tape: Tape | null;
  /** A fresh 32-bit seed for each dropout mask of the pass. */
  nextSeed(): number;
}

/** A named tensor of a layer, shaped and named as in the ONNX graph (e.g. "layer1.0.conv1.weight" [out, in/group, kH, kW]). */
export interface Parameter {
  readonly name: string;
  /** Replaced by the optimizer's step; on the device after the first forward pass. */
  value: Tensor;
}

export interface Layer {
  readonly name: string;
  /** y = layer(x). x stays the caller's; y is the tape's when recording, else the caller's. */
  forward(ctx: ForwardContext, x: Tensor): Promise<Tensor>;
  /** Trainable parameters, in a stable order. */
  parameters(): readonly Parameter[];
}

/** The parameter's value on the context's device (uploaded once, then kept there). */
export function onDevice(ctx: ForwardContext, parameter: Parameter): Tensor {
  const placed = ctx.device.upload(parameter.value);
  if (placed !== parameter.value) {
    parameter.value.dispose();
    parameter.value = placed;
  }
  return placed;
}

/** Seeded N(0, std²) values (He initialisation: std = √(2 / fan)). */
export function normalValues(size: number, std: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: size }, () => rng.normal() * std);
}

/** Seeded U(−bound, bound) values (PyTorch's default for Linear: bound = 1/√in). */
export function uniformValues(size: number, bound: number, seed: number): Float32Array {
  return new Rng(seed).floats(size, -bound, bound);
}

export function parameter(name: string, shape: readonly number[], values: Float32Array): Parameter {
  return { name, value: Tensor.cpu('f32', shape, values) };
}

/** A context counting dropout seeds up from `seed`. */
export function forwardContext(device: Device, options: { training: boolean; tape?: Tape | null; seed?: number }): ForwardContext {
  let next = options.seed ?? 0;
  return { device, training: options.training, tape: options.tape ?? null, nextSeed: () => (next = (next + 1) >>> 0) };
}
