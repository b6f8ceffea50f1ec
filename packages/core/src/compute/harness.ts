import { dtypeOf, fromNumbers, type TypedArray } from './dtype.js';
import type { Device } from './device.js';
import type { AnyKernel, KernelCase, KernelCases } from './kernel.js';
import { Rng } from './random.js';
import { Tensor } from './tensor.js';

/**
 * Runs kernel case tables on devices and measures agreement. Shared by the vitest suite, the
 * browser test and `cvf doctor --kernels`, so all three check exactly the same thing.
 */

/** |got − want| / max(1, |want|): relative above 1, absolute below, so values near 0 do not explode. */
export function maxRelError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(g) !== Number.isNaN(w)) return Infinity;
    if (Number.isNaN(g) || g === w) continue;
    const error = Math.abs(g - w) / Math.max(1, Math.abs(w));
    if (!(error <= worst)) worst = error;
  }
  return worst;
}

/** Runs one case on a device and reads every output back. */
export async function runCase(device: Device, kernel: AnyKernel, kernelCase: Omit<KernelCase, 'expected'>): Promise<Record<string, TypedArray>> {
  const inputs: Record<string, Tensor> = {};
  for (const [name, input] of Object.entries(kernelCase.inputs)) {
    const data = ArrayBuffer.isView(input.data) && dtypeOf(input.data) === input.dtype ? input.data : fromNumbers(input.dtype, input.data);
    inputs[name] = device.upload(Tensor.cpu(input.dtype, input.shape, data));
  }
  const outputs = await device.run(kernel, inputs, kernelCase.attrs);
  const values: Record<string, TypedArray> = {};
  for (const [name, tensor] of Object.entries(outputs)) {
    values[name] = await device.read(tensor);
    tensor.dispose();
  }
  for (const tensor of Object.values(inputs)) tensor.dispose();
  return values;
}

/** Worst error over all outputs of a case. */
export function compareOutputs(got: Record<string, ArrayLike<number>>, want: Readonly<Record<string, ArrayLike<number>>>): number {
  let worst = 0;
  for (const [name, expected] of Object.entries(want)) {
    const actual = got[name];
    worst = Math.max(worst, actual ? maxRelError(actual, expected) : Infinity);
  }
  return worst;
}

/** Expected values in case tables are written in decimal; f32 storage alone differs by ~6e-8. */
export const CASE_TABLE_TOLERANCE = 1e-6;

export interface CaseCheck {
  readonly kernel: string;
  readonly case: string;
  readonly backend: Device['backend'];
  /** `table`: against the hand-worked expected values; `random`: WebGPU against the CPU reference. */
  readonly kind: 'table' | 'random';
  readonly maxRelError: number;
  readonly tolerance: number;
  readonly ok: boolean;
}

export async function checkTableCase(device: Device, kernel: AnyKernel, kernelCase: KernelCase): Promise<CaseCheck> {
  const got = await runCase(device, kernel, kernelCase);
  const error = compareOutputs(got, kernelCase.expected);
  const tolerance = Math.max(kernel.tolerance, CASE_TABLE_TOLERANCE);
  return { kernel: kernel.name, case: kernelCase.name, backend: device.backend, kind: 'table', maxRelError: error, tolerance, ok: error <= tolerance };
}

/** Runs seeded random inputs on both devices and compares the GPU with the CPU reference. */
export async function checkRandomCases(gpu: Device, cpu: Device, cases: KernelCases<unknown>, seed: number): Promise<CaseCheck[]> {
  const kernel = cases.kernel as AnyKernel;
  const checks: CaseCheck[] = [];
  for (const randomCase of cases.random(new Rng(seed))) {
    const want = await runCase(cpu, kernel, randomCase);
    const got = await runCase(gpu, kernel, randomCase);
    const error = compareOutputs(got, want);
    checks.push({ kernel: kernel.name, case: `${randomCase.name} (seed ${seed})`, backend: gpu.backend, kind: 'random', maxRelError: error, tolerance: kernel.tolerance, ok: error <= kernel.tolerance });
  }
  return checks;
}

export interface KernelAgreement {
  readonly name: string;
  readonly backends: readonly Device['backend'][];
  readonly maxRelError: number;
  readonly tolerance: number;
  readonly ok: boolean;
  readonly failures: readonly CaseCheck[];
}

/** Every table case on every device, plus seeded random GPU-vs-CPU comparisons: one kernel's verdict. */
export async function checkKernel(cases: KernelCases<unknown>, devices: { cpu: Device; gpu?: Device | undefined }, seeds: readonly number[] = [1]): Promise<KernelAgreement> {
  const kernel = cases.kernel as AnyKernel;
  const checks: CaseCheck[] = [];
  const all = devices.gpu ? [devices.cpu, devices.gpu] : [devices.cpu];
  for (const device of all) for (const kernelCase of cases.cases) checks.push(await checkTableCase(device, kernel, kernelCase));
  if (devices.gpu) for (const seed of seeds) checks.push(...(await checkRandomCases(devices.gpu, devices.cpu, cases, seed)));
  const random = checks.filter((c) => c.kind === 'random');
  const failures = checks.filter((c) => !c.ok);
  return {
    name: kernel.name,
    backends: all.map((d) => d.backend),
    maxRelError: random.reduce((worst, c) => Math.max(worst, c.maxRelError), 0),
    tolerance: kernel.tolerance,
    ok: failures.length === 0,
    failures,
  };
}
