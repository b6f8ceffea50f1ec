import type { Device } from '../../compute/device.js';
import { Tensor } from '../../compute/tensor.js';

/**
 * A flat index's scan vectors resident on one GPU device: uploaded on first use and again only
 * after the index changed (its version moved) or another device asks.
 */
export class GpuResidentRows {
  #cached: { device: Device; tensor: Tensor; version: number } | null = null;

  /** The [rows, dim] tensor on `device` for index `version`; `fill` writes a row's scan vector. */
  get(device: Device, version: number, rows: number, dim: number, fill: (row: number, out: Float32Array) => void): Tensor {
    const cached = this.#cached;
    if (cached && cached.device === device && cached.version === version) return cached.tensor;
    cached?.tensor.dispose();
    const values = new Float32Array(rows * dim);
    for (let row = 0; row < rows; row++) fill(row, values.subarray(row * dim, (row + 1) * dim));
    const tensor = device.upload(Tensor.cpu('f32', [rows, dim], values));
    this.#cached = { device, tensor, version };
    return tensor;
  }

  /** Frees the GPU copy, if any. */
  release(): void {
    this.#cached?.tensor.dispose();
    this.#cached = null;
  }
}
