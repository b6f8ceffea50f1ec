import { ShapeError } from '../../../errors.js';

/**
 * Activations of the MLP head (relu, gelu), and the kernels' sigmoid for imported backbones. GELU is the tanh approximation
 *   gelu(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
 * (WGSL and JavaScript have no erf); the ONNX export composes the same formula from Tanh.
 * The tanh argument is clamped to ±10, where tanh is 1 to within f32 rounding, so that no
 * backend's tanh overflows.
 */
export type ActivationFunction = 'relu' | 'gelu';
export const ACTIVATION_FUNCTIONS: readonly ActivationFunction[] = ['relu', 'gelu'];
/** What the activation kernels compute: the head's functions and the logistic sigmoid (ONNX Sigmoid in fine-tuned backbones). */
export type KernelActivation = ActivationFunction | 'sigmoid';
export const KERNEL_ACTIVATIONS: readonly KernelActivation[] = [...ACTIVATION_FUNCTIONS, 'sigmoid'];

export const GELU_SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
export const GELU_CUBIC = 0.044715;
export const GELU_TANH_CLAMP = 10;

export function assertActivation(kernel: string, fn: string): void {
  if (!KERNEL_ACTIVATIONS.includes(fn as KernelActivation)) {
    throw new ShapeError(`kernel "${kernel}": activation "${fn}" is not one of ${KERNEL_ACTIVATIONS.join(', ')}`);
  }
}

function geluTanh(x: number): number {
  const u = GELU_SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
  return Math.tanh(Math.min(GELU_TANH_CLAMP, Math.max(-GELU_TANH_CLAMP, u)));
}

export function gelu(x: number): number {
  return 0.5 * x * (1 + geluTanh(x));
}

/** d gelu / dx = ½(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²), t = tanh(u). */
export function geluDerivative(x: number): number {
  const t = geluTanh(x);
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
}

/** 1 / (1 + e^−x), from the side where the exponential cannot overflow. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** σ′(x) = σ(x)·(1 − σ(x)). */
export function sigmoidDerivative(x: number): number {
  const s = sigmoid(x);
  return s * (1 - s);
}

export const SIGMOID_WGSL = `
fn sigmoid(x: f32) -> f32 {
  let e = exp(-abs(x));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);
}`;

/** The same functions in WGSL, for the shaders of `activation` and `activation-backward`. */
export const GELU_WGSL = `
fn gelu_tanh(x: f32) -> f32 {
  let u = ${GELU_SQRT_2_OVER_PI} * (x + ${GELU_CUBIC} * x * x * x);
  return tanh(clamp(u, -${GELU_TANH_CLAMP}.0, ${GELU_TANH_CLAMP}.0));
}
fn gelu(x: f32) -> f32 { return 0.5 * x * (1.0 + gelu_tanh(x)); }
fn gelu_derivative(x: f32) -> f32 {
  let t = gelu_tanh(x);
  return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * ${GELU_SQRT_2_OVER_PI} * (1.0 + ${3 * GELU_CUBIC} * x * x);
}`;
