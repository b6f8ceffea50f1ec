import { gram } from '../../compute/kernels/gram/gram.js';
import { matmul } from '../../compute/kernels/matmul/matmul.js';
import type { Device } from '../../compute/device.js';
import type { FastMatmul } from '../../compute/fast-matmul/fast-matmul.js';
import { Tensor } from '../../compute/tensor.js';

/**
 * The large products of a PCA fit, all with one data matrix X [rows × cols] (f32, row-major):
 * everything that touches all N×D values goes through here, the rest is small float64 algebra.
 */
export interface BoundMatrix {
  /** (X − 1·cᵀ)ᵀ(X − 1·cᵀ): cols × cols, float64, exactly symmetric. */
  centeredGram(center: Float32Array): Promise<Float64Array>;
  /** X·Bᵀ for B [k × cols]: rows × k. */
  timesTransposed(b: Float32Array, k: number): Promise<Float32Array>;
  /** Yᵀ·X for Y [rows × k]: k × cols, float64. */
  transposedTimes(y: Float32Array, k: number): Promise<Float64Array>;
  /** Frees what binding X took (GPU buffers). */
  release(): void;
}

export interface MatrixEngine {
  /** Where the products run, for reports. */
  readonly description: string;
  /**
   * Centering costs nothing extra (the GPU kernel subtracts as it loads). Otherwise a centered
   * Gram matrix costs a pass over X more than X's own Gram with a rank-one correction.
   */
  readonly centersForFree: boolean;
  bind(x: Float32Array, rows: number, cols: number): BoundMatrix;
}

/** Products on the host through a FastMatmul (ONNX Runtime's MLAS, or portable loops). */
export function fastMatmulEngine(fast: FastMatmul): MatrixEngine {
  return {
    description: fast.description,
    centersForFree: false,
    bind: (x, rows, cols) => ({
      centeredGram: async (center) => {
        const uncentered = center.every((v) => v === 0);
        const product = uncentered ? await fast.matmul(x, x, { m: cols, n: cols, k: rows }, { transposeA: true }) : await fast.centeredGram(x, rows, cols, center);
        return symmetrized(product, cols);
      },
      timesTransposed: (b, k) => fast.matmul(x, b, { m: rows, n: k, k: cols }, { transposeB: true }),
      transposedTimes: async (y, k) => {
        // Xᵀ·Y (cols × k) runs faster in MLAS than Yᵀ·X (k × cols); transposing the small result is free.
        const product = await fast.matmul(x, y, { m: cols, n: k, k: rows }, { transposeA: true });
        const out = new Float64Array(k * cols);
        for (let c = 0; c < cols; c++) for (let l = 0; l < k; l++) out[l * cols + c] = product[c * k + l]!;
        return out;
      },
      release: () => {},
    }),
  };
}

/** Rows per chunk so one chunk stays well below WebGPU's guaranteed 128 MiB storage binding. */
const CHUNK_BYTES = 32 * 1024 * 1024;

/**
 * Products on a Device with the `gram` and `matmul` kernels. X is uploaded once, in row chunks
 * (each within the storage-binding limit), and kept there for every product of the fit; the
 * chunks' partial sums are added on the host in float64.
 */
export function deviceEngine(device: Device, chunkBytes: number = CHUNK_BYTES): MatrixEngine {
  return {
    description: `${device.backend} device kernels`,
    centersForFree: true,
    bind: (x, rows, cols) => {
      const chunkRows = Math.max(1, Math.floor(chunkBytes / (4 * Math.max(1, cols))));
      const chunks: { start: number; rows: number; tensor: Tensor }[] = [];
      for (let start = 0; start < rows; start += chunkRows) {
        const count = Math.min(chunkRows, rows - start);
        chunks.push({ start, rows: count, tensor: device.upload(Tensor.cpu('f32', [count, cols], x.subarray(start * cols, (start + count) * cols))) });
      }
      const sumChunks = async (size: number, run: (chunk: (typeof chunks)[number]) => Promise<Tensor>): Promise<Float64Array> => {
        const total = new Float64Array(size);
        for (const chunk of chunks) {
          const out = await run(chunk);
          const values = await device.read(out);
          out.dispose();
          for (let i = 0; i < size; i++) total[i]! += values[i]!;
        }
        return total;
      };
      return {
        centeredGram: async (center) => {
          const c = device.upload(Tensor.cpu('f32', [cols], center));
          const total = await sumChunks(cols * cols, async (chunk) => (await device.run(gram, { x: chunk.tensor, center: c }, {})).out);
          c.dispose();
          return total;
        },
        timesTransposed: async (b, k) => {
          const bt = device.upload(Tensor.cpu('f32', [k, cols], b));
          const out = new Float32Array(rows * k);
          for (const chunk of chunks) {
            const { out: product } = await device.run(matmul, { a: chunk.tensor, b: bt }, { transposeB: true });
            out.set(await device.read(product), chunk.start * k);
            product.dispose();
          }
          bt.dispose();
          return out;
        },
        transposedTimes: (y, k) =>
          sumChunks(k * cols, async (chunk) => {
            const yChunk = device.upload(Tensor.cpu('f32', [chunk.rows, k], y.subarray(chunk.start * k, (chunk.start + chunk.rows) * k)));
            const { out } = await device.run(matmul, { a: yChunk, b: chunk.tensor }, { transposeA: true });
            yChunk.dispose();
            return out;
          }),
        release: () => {
          for (const chunk of chunks) chunk.tensor.dispose();
        },
      };
    },
  };
}

/** Float64 copy of a Gram matrix with (i, j) and (j, i) averaged, for the symmetric eigensolver. */
function symmetrized(values: Float32Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    out[i * n + i] = values[i * n + i]!;
    for (let j = i + 1; j < n; j++) out[i * n + j] = out[j * n + i] = (values[i * n + j]! + values[j * n + i]!) / 2;
  }
  return out;
}
