import type { Device } from '../../../compute/device.js';
import { Rng } from '../../../compute/random.js';
import { Tensor } from '../../../compute/tensor.js';
import { forwardContext, type Layer } from '../layer.js';
import { Tape } from '../tape.js';
import type { F64Tensor } from './f64-layers.js';

/** A layer (or network) and its independent float64 forward pass, by parameter name. */
export interface GradientProblem {
  readonly layer: Layer;
  readonly inputShape: readonly number[];
  /** Default true (batch statistics, dropout on). */
  readonly training?: boolean;
  /** The context's seed: its dropout masks use seed + 1, seed + 2, ... in forward order. */
  readonly seed?: number;
  reference(x: F64Tensor, parameters: ReadonlyMap<string, Float64Array>): F64Tensor;
}

/** One gradient entry compared: the tape's f32 value against the float64 central difference. */
export interface GradientComparison {
  readonly tensor: string;
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
}

export interface GradientCheck {
  /** Largest |tape forward − float64 forward|. */
  readonly forwardError: number;
  readonly comparisons: readonly GradientComparison[];
}

/**
 * Runs the layer forward on the tape with seeded random parameters and input, backward from a
 * random dL/dy = r (the loss is L = Σ y·r), and compares every parameter's and the input's
 * gradient at `samples` random entries per tensor with central differences (step h) of L computed
 * by the float64 reference.
 */
export async function checkGradients(device: Device, problem: GradientProblem, { seed = 1, samples = 16, h = 1e-5 } = {}): Promise<GradientCheck> {
  const rng = new Rng(seed);
  const params = new Map<string, Float64Array>();
  for (const p of problem.layer.parameters()) {
    const values = p.name.endsWith('.scale') ? rng.floats(p.value.size, 0.5, 1.5) : rng.floats(p.value.size, -0.5, 0.5);
    p.value.dispose();
    p.value = Tensor.cpu('f32', p.value.shape, values);
    params.set(p.name, Float64Array.from(values));
  }
  const xValues = rng.floats(problem.inputShape.reduce((a, b) => a * b, 1), -1, 1);
  const x64: F64Tensor = { shape: problem.inputShape, data: Float64Array.from(xValues) };

  const tape = new Tape(device);
  const ctx = forwardContext(device, { training: problem.training ?? true, tape, seed: problem.seed ?? 0 });
  const x = device.upload(Tensor.cpu('f32', problem.inputShape, xValues));
  tape.watch(x);
  const y = await problem.layer.forward(ctx, x);
  const got = await device.read(y);
  const want = problem.reference(x64, params);
  let forwardError = 0;
  want.data.forEach((v, i) => (forwardError = Math.max(forwardError, Math.abs(got[i]! - v))));

  const r = rng.floats(y.size);
  const rootGradient = device.upload(Tensor.cpu('f32', y.shape, r));
  const { parameters, inputs } = await tape.backward(y, rootGradient);
  const loss = (input: F64Tensor) => problem.reference(input, params).data.reduce((s, v, i) => s + v * r[i]!, 0);

  const comparisons: GradientComparison[] = [];
  const compare = async (name: string, gradient: Tensor | undefined, values: Float64Array) => {
    if (!gradient) throw new Error(`no gradient reached ${name}`);
    const analytic = await device.read(gradient);
    gradient.dispose();
    const picks = values.length <= samples ? [...values.keys()] : Array.from({ length: samples }, () => rng.int(0, values.length - 1));
    for (const index of picks) {
      const saved = values[index]!;
      values[index] = saved + h;
      const up = loss(x64);
      values[index] = saved - h;
      const down = loss(x64);
      values[index] = saved;
      comparisons.push({ tensor: name, index, analytic: analytic[index]!, numeric: (up - down) / (2 * h) });
    }
  };
  for (const p of problem.layer.parameters()) await compare(p.name, parameters.get(p.name), params.get(p.name)!);
  await compare('input', inputs.get(x), x64.data);
  for (const t of [y, x, rootGradient]) t.dispose();
  return { forwardError, comparisons };
}
