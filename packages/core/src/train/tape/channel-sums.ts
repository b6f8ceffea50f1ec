import type { Device } from '../../compute/device.js';
import { reduce } from '../../compute/kernels/reduce/reduce.js';
import { sizeOf } from '../../compute/shape.js';
import type { Tensor } from '../../compute/tensor.js';

/** Σ over every axis but 1 of [N, C, ...]: a bias gradient, as two reduce kernels (spatial, then batch). */
export async function channelSums(device: Device, dy: Tensor): Promise<Tensor> {
  const [n, c] = [dy.shape[0]!, dy.shape[1]!];
  const { out: perImage } = await device.run(reduce, { x: dy.reshape([n, c, sizeOf(dy.shape.slice(2))]) }, { op: 'sum', axis: 2 });
  const { out } = await device.run(reduce, { x: perImage }, { op: 'sum', axis: 0 });
  perImage.dispose();
  return out;
}
