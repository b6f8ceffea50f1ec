import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape, sameShape, sizeOf } from '../../shape.js';

export interface MatmulAttrs {
  /** Read `a` as [..., K, M] and use its transpose. */
  readonly transposeA?: boolean;
  /** Read `b` as [..., N, K] and use its transpose (e.g. X·Wᵀ with W stored row per output). */
  readonly transposeB?: boolean;
}

/** Sizes of one product and how far apart the batch entries of `a` and `b` are (0 = shared). */
export interface MatmulDims {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly aBatchStride: number;
  readonly bBatchStride: number;
  readonly batchShape: readonly number[];
}

export function matmulDims({ a, b }: Specs<'a' | 'b'>, { transposeA = false, transposeB = false }: MatmulAttrs): MatmulDims {
  if (a.shape.length < 2 || b.shape.length < 2) {
    throw new ShapeError(`kernel "matmul": a ${formatShape(a.shape)} and b ${formatShape(b.shape)} must have rank ≥ 2`);
  }
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const [m, ka] = transposeA ? [ac, ar] : [ar, ac];
  const [kb, n] = transposeB ? [bc, br] : [br, bc];
  if (ka !== kb) {
    throw new ShapeError(`kernel "matmul": inner dimensions differ: a ${formatShape(a.shape)}${transposeA ? 'ᵀ' : ''} · b ${formatShape(b.shape)}${transposeB ? 'ᵀ' : ''} (${ka} ≠ ${kb})`);
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  // Batches pair up one to one, or one side has no batch dimensions and is shared by all.
  if (aBatch.length > 0 && bBatch.length > 0 && !sameShape(aBatch, bBatch)) {
    throw new ShapeError(`kernel "matmul": batch dimensions differ: a ${formatShape(a.shape)}, b ${formatShape(b.shape)}`);
  }
  const batchShape = aBatch.length > 0 ? aBatch : bBatch;
  return {
    batch: sizeOf(batchShape),
    m,
    n,
    k: ka,
    aBatchStride: aBatch.length > 0 ? m * ka : 0,
    bBatchStride: bBatch.length > 0 ? ka * n : 0,
    batchShape,
  };
}

export function matmulOutputs(inputs: Specs<'a' | 'b'>, attrs: MatmulAttrs): Specs<'out'> {
  const dims = matmulDims(inputs, attrs);
  return { out: { shape: [...dims.batchShape, dims.m, dims.n], dtype: 'f32' } };
}
