import type { Device } from '../../compute/device.js';
import { int8RowCodes } from '../../compute/kernels/flat-top-k-int8/flat-top-k-int8.js';
import { Tensor } from '../../compute/tensor.js';
import type { ResidentInt8 } from './gpu-int8-search.js';

/**
 * An int8 index's codes and kernel bias resident on one GPU device: uploaded on first use and
 * again only after the index changed (its version moved) or another device asks. A quarter of
 * the bytes of the dequantized f32 rows.
 */
export class GpuResidentInt8 {
  #cached: { device: Device; resident: ResidentInt8; version: number } | null = null;

  /**
   * The resident codes of `rows` rows for index `version`; `fill` writes a row's `dim` codes
   * (the row's padding to whole words stays zero), `bias` holds at least `rows` kernel biases.
   */
  get(device: Device, version: number, rows: number, dim: number, fill: (row: number, out: Uint8Array) => void, bias: Float32Array): ResidentInt8 {
    const cached = this.#cached;
    if (cached && cached.device === device && cached.version === version) return cached.resident;
    this.release();
    const stride = int8RowCodes(dim);
    const codes = new Uint8Array(rows * stride);
    for (let row = 0; row < rows; row++) fill(row, codes.subarray(row * stride, row * stride + dim));
    const resident = {
      codes: device.upload(Tensor.cpu('u8', [rows, stride], codes)),
      bias: device.upload(Tensor.cpu('f32', [rows], bias.slice(0, rows))),
    };
    this.#cached = { device, resident, version };
    return resident;
  }

  /** Frees the GPU copy, if any. */
  release(): void {
    this.#cached?.resident.codes.dispose();
    this.#cached?.resident.bias.dispose();
    this.#cached = null;
  }
}
