import type { Device } from '../compute/device.js';
import type { FastMatmul } from '../compute/fast-matmul/fast-matmul.js';
import { matmul } from '../compute/kernels/matmul/matmul.js';
import type { MatmulAttrs } from '../compute/kernels/matmul/matmul.shape.js';
import { Tensor } from '../compute/tensor.js';

/** op(a) · op(b) for the 2-D products of a head's forward and backward passes. */
export type Products = (a: Tensor, b: Tensor, attrs?: MatmulAttrs) => Promise<Tensor>;

/**
 * Where a head's matrix products run. On WebGPU, and on a CPU device without a `fast` engine,
 * they are the device's `matmul` kernel. On a CPU device with a FastMatmul (ONNX Runtime's MLAS),
 * the host arrays go straight to it: the kernel's CPU reference sums in float64 for exactness and
 * is ~100× slower, while MLAS sums in f32 like the WebGPU kernel does. Everything else in a step
 * stays on the device's kernels.
 */
export function headProducts(device: Device, fast?: FastMatmul): Products {
  if (device.backend !== 'cpu' || !fast) {
    return async (a, b, attrs = {}) => (await device.run(matmul, { a, b }, attrs)).out;
  }
  return async (a, b, { transposeA = false, transposeB = false } = {}) => {
    const [ar, ac] = a.shape as [number, number];
    const [br, bc] = b.shape as [number, number];
    const [m, k] = transposeA ? [ac, ar] : [ar, ac];
    const n = transposeB ? br : bc;
    const out = await fast.matmul(a.data as Float32Array, b.data as Float32Array, { m, n, k }, { transposeA, transposeB });
    return Tensor.cpu('f32', [m, n], out);
  };
}
