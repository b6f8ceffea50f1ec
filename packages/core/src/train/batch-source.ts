import type { Device } from '../compute/device.js';
import { gatherRows } from '../compute/kernels/gather-rows/gather-rows.js';
import { Tensor } from '../compute/tensor.js';

/** One mini-batch on the device: x [rows, dim], labels [rows] and, when the data has them, sample weights [rows]. */
export interface Batch {
  readonly x: Tensor;
  readonly labels: Tensor;
  readonly weights?: Tensor;
}

/** Mini-batches of rows picked by index, as device tensors. The caller disposes each batch's tensors. */
export interface BatchSource {
  batch(indices: Int32Array): Promise<Batch>;
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
 * gathered on the host and uploaded batch by batch. `weights` (one per row) travel like the labels.
 */
export function batchSource(device: Device, features: Float32Array, labels: Int32Array, dim: number, residentLimit = RESIDENT_BYTES_LIMIT, weights?: Float32Array): BatchSource {
  const resident = device.backend === 'cpu' || features.byteLength <= residentLimit;
  return resident ? deviceBatches(device, features, labels, dim, weights) : hostBatches(device, features, labels, dim, weights);
}

function deviceBatches(device: Device, features: Float32Array, labels: Int32Array, dim: number, weights: Float32Array | undefined): BatchSource {
  const x = device.upload(Tensor.cpu('f32', [labels.length, dim], features));
  const y = device.upload(Tensor.cpu('i32', [labels.length], labels));
  const s = weights ? device.upload(Tensor.cpu('f32', [labels.length], weights)) : null;
  return {
    async batch(indices) {
      const index = device.upload(Tensor.cpu('i32', [indices.length], indices));
      const { out: bx } = await device.run(gatherRows, { x, indices: index }, {});
      const { out: by } = await device.run(gatherRows, { x: y, indices: index }, {});
      const bs = s ? (await device.run(gatherRows, { x: s, indices: index }, {})).out : null;
      if (index.location === 'gpu') index.dispose();
      return { x: bx, labels: by, ...(bs ? { weights: bs } : {}) };
    },
    dispose() {
      for (const t of [x, y, s]) if (t?.location === 'gpu') t.dispose();
    },
  };
}

function hostBatches(device: Device, features: Float32Array, labels: Int32Array, dim: number, weights: Float32Array | undefined): BatchSource {
  return {
    async batch(indices) {
      const bx = new Float32Array(indices.length * dim);
      const by = new Int32Array(indices.length);
      const bs = weights ? new Float32Array(indices.length) : null;
      indices.forEach((row, b) => {
        bx.set(features.subarray(row * dim, (row + 1) * dim), b * dim);
        by[b] = labels[row]!;
        if (bs) bs[b] = weights![row]!;
      });
      return {
        x: device.upload(Tensor.cpu('f32', [indices.length, dim], bx)),
        labels: device.upload(Tensor.cpu('i32', [indices.length], by)),
        ...(bs ? { weights: device.upload(Tensor.cpu('f32', [indices.length], bs)) } : {}),
      };
    },
    dispose() {},
  };
}
