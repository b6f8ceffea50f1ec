import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';
import { FUSED_CHUNK, MAX_FUSED_TOP_K, sliceChunks } from '../../kernels-shared/running-top-k.wgsl.js';
import { checkTopKArgs, topKOutputSpecs } from '../../kernels-shared/top-k-shape.js';

export interface FlatTopKInt8Attrs {
  /** Best results kept per query, at most MAX_FLAT_TOP_K_INT8. */
  readonly k: number;
  /** Slices of the base, each keeping its own k best (default 1: the whole base in one pass). */
  readonly slices?: number;
}

export const MAX_FLAT_TOP_K_INT8 = MAX_FUSED_TOP_K;

export type FlatTopKInt8Inputs = 'queryCodes' | 'scales' | 'codes' | 'bias' | 'mask';

export interface FlatTopKInt8Dims {
  readonly m: number;
  readonly n: number;
  readonly d: number;
  /** Codes per stored row: d rounded up to whole u32 words of 4 codes. */
  readonly rowCodes: number;
  readonly chunks: number;
  readonly slices: number;
  /** Chunks of 256 base rows per slice. */
  readonly sliceChunks: number;
}

/** Codes per stored row for `d` dimensions: whole words of 4 u8 codes, the tail zero. */
export function int8RowCodes(d: number): number {
  return Math.ceil(d / 4) * 4;
}

export function flatTopKInt8Dims({ queryCodes, scales, codes, bias, mask }: Specs<FlatTopKInt8Inputs>, { k, slices = 1 }: FlatTopKInt8Attrs): FlatTopKInt8Dims {
  const name = 'kernel "flat-top-k-int8"';
  if (queryCodes.shape.length !== 2) throw new ShapeError(`${name}: queryCodes ${formatShape(queryCodes.shape)} must be [m, d]`);
  const [m, d] = queryCodes.shape as [number, number];
  const rowCodes = int8RowCodes(d);
  if (scales.shape.length !== 1 || scales.shape[0] !== m) throw new ShapeError(`${name}: scales ${formatShape(scales.shape)} must be [${m}] (one per query)`);
  if (codes.shape.length !== 2 || codes.shape[1] !== rowCodes) throw new ShapeError(`${name}: codes ${formatShape(codes.shape)} must be [n, ${rowCodes}] (d = ${d} rounded up to words of 4)`);
  const n = codes.shape[0]!;
  if (bias.shape.length !== 1 || bias.shape[0] !== n) throw new ShapeError(`${name}: bias ${formatShape(bias.shape)} must be [${n}]`);
  checkTopKArgs('flat-top-k-int8', mask, n, k, MAX_FLAT_TOP_K_INT8, slices);
  return { m, n, d, rowCodes, chunks: Math.ceil(n / FUSED_CHUNK), slices, sliceChunks: sliceChunks(n, slices) };
}

export function flatTopKInt8Outputs(inputs: Specs<FlatTopKInt8Inputs>, attrs: FlatTopKInt8Attrs): Specs<'values' | 'indices'> {
  const { m, slices } = flatTopKInt8Dims(inputs, attrs);
  return topKOutputSpecs(m, slices, attrs.k);
}
