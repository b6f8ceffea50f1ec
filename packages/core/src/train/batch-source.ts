import type { Device } from '../compute/device.js';
import { gatherRows } from '../compute/kernels/gather-rows/gather-rows.js';
import { Tensor } from '../compute/tensor.js';

/** Mini-batches of rows picked by index, as device tensors x [rows, dim] and labels [rows]. */
export interface BatchSource {
  batch(indices: Int32Array): Promise<{ x: Tensor; labels: Tensor }>;
  /** Frees what the source uploaded. */
  dispose(): void;
}

/**
 * WebGPU's default limit on one storage binding (maxStorageBufferBindingSize): a data set larger
 * than this is not uploaded whole.
 */
export const RESIDENT_BYTES_LIMIT = 128 * 1024 * 1024;

/**
 * Where batches come from: the whole data set uploaded once and gathered on the device (no
 * transfer per step but the indices), or — when it is larger than one GPU binding may be —
 * gathered on the host and uploaded batch by batch.
 */
export function batchSource(device: Device, features: Float32Array, labels: Int32Array, dim: number, residentLimit = RESIDENT_BYTES_LIMIT): BatchSource {
  const resident = device.backend === 'cpu' || features.byteLength <= residentLimit;
  return resident ? deviceBatches(device, features, labels, dim) : hostBatches(device, features, labels, dim);
}

function deviceBatches(device: Device, features: Float32Array, labels: Int32Array, dim: number): BatchSource {
  const x = device.upload(Tensor.cpu('f32', [labels.length, dim], features));
  const y = device.upload(Tensor.cpu('i32', [labels.length], labels));
  return {
    async batch(indices) {
      const index = device.upload(Tensor.cpu('i32', [indices.length], indices));
      const { out: bx } = await device.run(gatherRows, { x, indices: index }, {});
      const { out: by } = await device.run(gatherRows, { x: y, indices: index }, {});
      if (index.location === 'gpu') index.dispose();
      return { x: bx, labels: by };
    },
    dispose() {
      if (x.location === 'gpu') x.dispose();
      if (y.location === 'gpu') y.dispose();
    },
  };
}

function hostBatches(device: Device, features: Float32Array, labels: Int32Array, dim: number): BatchSource {
  return {
    async batch(indices) {
      const bx = new Float32Array(indices.length * dim);
      const by = new Int32Array(indices.length);
      indices.forEach((row, b) => {
        bx.set(features.subarray(row * dim, (row + 1) * dim), b * dim);
        by[b] = labels[row]!;
      });
      return { x: device.upload(Tensor.cpu('f32', [indices.length, dim], bx)), labels: device.upload(Tensor.cpu('i32', [indices.length], by)) };
    },
    dispose() {},
  };
}
