import { ShapeError } from '../../errors.js';

/** Sizes of one product: op(a) is m×k, op(b) is k×n, the result m×n. */
export interface MatmulShape {
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

export interface FastMatmulOptions {
  /** `a` is stored k×m and its transpose is used. */
  readonly transposeA?: boolean;
  /** `b` is stored n×k and its transpose is used (e.g. X·Wᵀ with W stored one row per output). */
  readonly transposeB?: boolean;
}

/**
 * Fast matrix products on the host CPU, for the large products that plain loops make too slow
 * (PCA fits, batched flat search): `createOrtFastMatmul` runs them in ONNX Runtime's MLAS
 * (onnxruntime-node `cpu`, onnxruntime-web `wasm`), `createJsFastMatmul` in portable loops.
 * Every array is f32, row-major; results are new arrays.
 */
export interface FastMatmul {
  /** What computes the products, e.g. `onnxruntime-node cpu, 1 thread`. */
  readonly description: string;
  /** out [m×n] = op(a) · op(b). */
  matmul(a: Float32Array, b: Float32Array, shape: MatmulShape, options?: FastMatmulOptions): Promise<Float32Array>;
  /**
   * The centered Gram matrix of the columns of `a` [rows×cols]: (A − 1·cᵀ)ᵀ(A − 1·cᵀ), cols×cols
   * (rows × the covariance when `center` holds the column means).
   */
  centeredGram(a: Float32Array, rows: number, cols: number, center: Float32Array): Promise<Float32Array>;
  /** Frees what the implementation holds (ONNX sessions); it cannot compute afterwards. */
  release(): Promise<void>;
}

/** Checks a product's arrays against its shape; throws a ShapeError naming the mismatch. */
export function checkMatmul(a: Float32Array, b: Float32Array, { m, n, k }: MatmulShape, { transposeA = false, transposeB = false }: FastMatmulOptions): void {
  for (const [name, value] of [['m', m], ['n', n], ['k', k]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new ShapeError(`fast matmul: ${name} = ${value} must be a non-negative integer`);
  }
  if (a.length !== m * k) throw new ShapeError(`fast matmul: a has ${a.length} values, but op(a) is ${m}×${k}${transposeA ? ' (a stored transposed)' : ''} = ${m * k}`);
  if (b.length !== k * n) throw new ShapeError(`fast matmul: b has ${b.length} values, but op(b) is ${k}×${n}${transposeB ? ' (b stored transposed)' : ''} = ${k * n}`);
}

export function checkGram(a: Float32Array, rows: number, cols: number, center: Float32Array): void {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) throw new ShapeError(`fast matmul: Gram of ${rows}×${cols} needs non-negative integer sizes`);
  if (a.length !== rows * cols) throw new ShapeError(`fast matmul: Gram input has ${a.length} values, not ${rows}×${cols} = ${rows * cols}`);
  if (center.length !== cols) throw new ShapeError(`fast matmul: Gram center has ${center.length} values; it needs one per column (${cols})`);
}
