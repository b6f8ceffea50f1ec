import { unrolled } from '../../compute/wasm/emit-loops.js';
import type { Code, ModuleBuilder } from '../../compute/wasm/wasm-encoder.js';

/**
 * The flat indexes' scan kernels, emitted for one dimension (see search-kernels.ts for the panel
 * layouts): f32 panels, with or without the prefix bound; int8 code panels; and the f16 → f32
 * panel decoder. Every scan keeps one threshold per query and calls the host's `insert` only when
 * one of eight scores beats it.
 */

/** Vectors per panel: two v128 of f32 lanes, so scores come out eight at a time. */
export const PANEL = 8;

/**
 * Dimensions (or pairs) per iteration of the scans' inner loops. One: with more, V8 hoists the
 * block's loads above its arithmetic and spills them (measured: 1 beats 2, 4 and full unrolling).
 */
const SCAN_BLOCK = 1;

/** Queries scanned together by the batched kernels: each panel is read once per block of queries. */
export const QUERY_BLOCK = 4;

const I32 = 'i32' as const;
const SCAN_PARAMS = [I32, I32, I32, I32, I32, I32, I32, I32] as const;

/**
 * The f32 panel scan of `queries` consecutive queries, two v128 accumulators (eight lanes) per query.
 *
 * With bound `stages` (ascending prefix lengths below dim) it is the bounded scan: it first sums
 * only the leading stages[0] dimensions and adds a Cauchy–Schwarz bound of the rest,
 * |q_tail·x_tail| ≤ ‖q_tail‖·‖x_tail‖ (per-vector tail norms of each stage in its own array, the
 * query's in `queryTails`, stage by stage), inflated by a margin that covers f32 rounding of the
 * remaining sum. A panel whose bound beats the threshold in some lane sums on to the next stage
 * and checks again; only panels that pass every stage are finished. The result is the full
 * scan's — nothing is approximated — but on PCA outputs, whose variance sits in the leading
 * components, most panels stop after a few dimensions.
 */
export function scanF32(module: ModuleBuilder, insert: number, exportName: string, dim: number, queries: number, stages: readonly number[]): void {
  const bounded = stages.length > 0;
  const params = bounded ? [...SCAN_PARAMS, ...stages.map(() => I32), I32] : SCAN_PARAMS;
  const code = module.addFunction(exportName, params);
  const [panelPtr, count, firstPanel, queryPtr, queryIndex, biasPtr, thresholdPtr, scratch] = [0, 1, 2, 3, 4, 5, 6, 7];
  const tailPtr = stages.map((_, s) => 8 + s);
  const queryTailPtr = 8 + stages.length;
  const panelBytes = dim * PANEL * 4;
  const step = code.local('i32');
  const acc = Array.from({ length: queries * 2 }, () => code.local('v128'));
  const x0 = code.local('v128');
  const x1 = code.local('v128');
  const splat = code.local('v128');
  const s0 = code.local('v128');
  const s1 = code.local('v128');
  const b0 = code.local('v128');
  const b1 = code.local('v128');
  const threshold = Array.from({ length: queries }, () => code.local('f32'));
  const queryTail = Array.from({ length: queries * stages.length }, () => code.local('f32'));
  const pj = code.local('i32');
  const qj = code.local('i32');

  /** acc[q] += q_j · x_j for j in [from, to), for every query or only one. */
  const accumulate = (from: number, to: number, only?: number): void => {
    code.localGet(panelPtr).i32Const(from * PANEL * 4).op('i32.add').localSet(pj);
    code.localGet(queryPtr).i32Const(from * 4).op('i32.add').localSet(qj);
    unrolled(code, to - from, [{ local: pj, bytesPerStep: PANEL * 4 }, { local: qj, bytesPerStep: 4 }], (j) => {
      code.localGet(pj).simdMem('v128.load', j * 32).localSet(x0);
      code.localGet(pj).simdMem('v128.load', j * 32 + 16).localSet(x1);
      for (let q = 0; q < queries; q++) {
        if (only !== undefined && q !== only) continue;
        code.localGet(qj).simdMem('v128.load32_splat', q * dim * 4 + j * 4).localSet(splat);
        code.localGet(acc[q * 2]!).localGet(splat).localGet(x0).simd('f32x4.mul').simd('f32x4.add').localSet(acc[q * 2]!);
        code.localGet(acc[q * 2 + 1]!).localGet(splat).localGet(x1).simd('f32x4.mul').simd('f32x4.add').localSet(acc[q * 2 + 1]!);
      }
    }, SCAN_BLOCK);
  };
  const check = (q: number): void =>
    emitThresholdCheck(code, {
      s0,
      s1,
      computeS0: () => code.localGet(acc[q * 2]!).localGet(b0).simd('f32x4.add'),
      computeS1: () => code.localGet(acc[q * 2 + 1]!).localGet(b1).simd('f32x4.add'),
      threshold: threshold[q]!,
      scratch,
      insert,
      query: () => code.localGet(queryIndex).i32Const(q).op('i32.add'),
      panel: () => code.localGet(firstPanel).localGet(step).op('i32.add'),
    });
  // bound = acc + bias + ‖q_t‖·‖x_t‖ + margin·(|acc| + ‖q_t‖·‖x_t‖) for one half of the panel.
  const bound = (q: number, s: number, half: 0 | 1): void => {
    const a = acc[q * 2 + half]!;
    code.localGet(queryTail[q * stages.length + s]!).simd('f32x4.splat').localGet(tailPtr[s]!).simdMem('v128.load', half * 16).simd('f32x4.mul').localSet(splat);
    code.localGet(a).localGet(half === 0 ? b0 : b1).simd('f32x4.add').localGet(splat).simd('f32x4.add');
    code.localGet(a).simd('f32x4.abs').localGet(splat).simd('f32x4.add').f32Const(boundMargin(dim - stages[s]!)).simd('f32x4.splat').simd('f32x4.mul').simd('f32x4.add');
    code.localGet(threshold[q]!).simd('f32x4.splat').simd('f32x4.gt');
  };
  /** Stage s of query q: if a lane's bound beats the threshold, sum on and check the next stage (or finish). */
  const stage = (q: number, s: number): void => {
    bound(q, s, 0);
    bound(q, s, 1);
    code.simd('v128.or').simd('v128.any_true').if();
    const next = s + 1 < stages.length ? stages[s + 1]! : dim;
    accumulate(stages[s]!, next, q);
    if (s + 1 < stages.length) stage(q, s + 1);
    else check(q);
    code.end();
  };

  for (let q = 0; q < queries; q++) {
    code.localGet(thresholdPtr).mem('f32.load', q * 4).localSet(threshold[q]!);
    for (let s = 0; s < stages.length; s++) code.localGet(queryTailPtr).mem('f32.load', (q * stages.length + s) * 4).localSet(queryTail[q * stages.length + s]!);
  }
  code.i32Const(0).localSet(step);
  code.block().loop();
  code.localGet(step).localGet(count).op('i32.ge_u').brIf(1);
  for (const a of acc) code.v128Const(new Int32Array(4)).localSet(a);
  accumulate(0, bounded ? stages[0]! : dim);
  code.localGet(biasPtr).simdMem('v128.load', 0).localSet(b0);
  code.localGet(biasPtr).simdMem('v128.load', 16).localSet(b1);
  for (let q = 0; q < queries; q++) {
    if (bounded) stage(q, 0);
    else check(q);
  }
  code.localGet(panelPtr).i32Const(panelBytes).op('i32.add').localSet(panelPtr);
  code.localGet(biasPtr).i32Const(32).op('i32.add').localSet(biasPtr);
  for (const t of tailPtr) code.localGet(t).i32Const(32).op('i32.add').localSet(t);
  code.localGet(step).i32Const(1).op('i32.add').localSet(step);
  code.br(0).end().end();
  for (let q = 0; q < queries; q++) code.localGet(thresholdPtr).localGet(threshold[q]!).mem('f32.store', q * 4);
}

/**
 * Relative margin that covers f32 rounding of a sum of `terms` products continued from a prefix
 * sum: each product and each addition loses at most 2⁻²⁴ of the running magnitude.
 */
export function boundMargin(terms: number): number {
  return 4 * (terms + 8) * 2 ** -24;
}

/** s0, s1 = eight scores; if any beats the threshold, hand them to the host and take its new threshold. */
function emitThresholdCheck(
  code: Code,
  o: { s0: number; s1: number; computeS0(): void; computeS1(): void; threshold: number; scratch: number; insert: number; query(): void; panel(): void },
): void {
  o.computeS0();
  code.localSet(o.s0);
  o.computeS1();
  code.localSet(o.s1);
  code.localGet(o.s0).localGet(o.threshold).simd('f32x4.splat').simd('f32x4.gt');
  code.localGet(o.s1).localGet(o.threshold).simd('f32x4.splat').simd('f32x4.gt');
  code.simd('v128.or').simd('v128.any_true').if();
  code.localGet(o.scratch).localGet(o.s0).simdMem('v128.store', 0);
  code.localGet(o.scratch).localGet(o.s1).simdMem('v128.store', 16);
  o.query();
  o.panel();
  code.call(o.insert).localSet(o.threshold);
  code.end();
}

/** The int8 panel scan: codes widened to i16 and multiplied by (i16, i16) query pairs. */
export function scanI8(module: ModuleBuilder, insert: number, exportName: string, dim: number, queries: number): void {
  const code = module.addFunction(exportName, [...SCAN_PARAMS, I32]);
  const [codePtr, count, firstPanel, queryPtr, queryIndex, biasPtr, thresholdPtr, scratch, scalePtr] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const pairs = Math.ceil(dim / 2);
  const panelBytes = pairs * 16;
  const step = code.local('i32');
  const acc = Array.from({ length: queries * 2 }, () => code.local('v128'));
  const c0 = code.local('v128');
  const c1 = code.local('v128');
  const splat = code.local('v128');
  const s0 = code.local('v128');
  const s1 = code.local('v128');
  const b0 = code.local('v128');
  const b1 = code.local('v128');
  const threshold = Array.from({ length: queries }, () => code.local('f32'));
  const scale = Array.from({ length: queries }, () => code.local('f32'));
  const pj = code.local('i32');
  const qj = code.local('i32');

  for (let q = 0; q < queries; q++) {
    code.localGet(thresholdPtr).mem('f32.load', q * 4).localSet(threshold[q]!);
    code.localGet(scalePtr).mem('f32.load', q * 4).localSet(scale[q]!);
  }
  code.i32Const(0).localSet(step);
  code.block().loop();
  code.localGet(step).localGet(count).op('i32.ge_u').brIf(1);
  for (const a of acc) code.v128Const(new Int32Array(4)).localSet(a);
  code.localGet(codePtr).localSet(pj);
  code.localGet(queryPtr).localSet(qj);
  unrolled(code, pairs, [{ local: pj, bytesPerStep: 16 }, { local: qj, bytesPerStep: 4 }], (j) => {
    code.localGet(pj).simdMem('v128.load8x8_u', j * 16).localSet(c0);
    code.localGet(pj).simdMem('v128.load8x8_u', j * 16 + 8).localSet(c1);
    for (let q = 0; q < queries; q++) {
      code.localGet(qj).simdMem('v128.load32_splat', q * pairs * 4 + j * 4).localSet(splat);
      code.localGet(acc[q * 2]!).localGet(c0).localGet(splat).simd('i32x4.dot_i16x8_s').simd('i32x4.add').localSet(acc[q * 2]!);
      code.localGet(acc[q * 2 + 1]!).localGet(c1).localGet(splat).simd('i32x4.dot_i16x8_s').simd('i32x4.add').localSet(acc[q * 2 + 1]!);
    }
  }, SCAN_BLOCK);
  code.localGet(biasPtr).simdMem('v128.load', 0).localSet(b0);
  code.localGet(biasPtr).simdMem('v128.load', 16).localSet(b1);
  for (let q = 0; q < queries; q++) {
    emitThresholdCheck(code, {
      s0,
      s1,
      computeS0: () => code.localGet(acc[q * 2]!).simd('f32x4.convert_i32x4_s').localGet(scale[q]!).simd('f32x4.splat').simd('f32x4.mul').localGet(b0).simd('f32x4.add'),
      computeS1: () => code.localGet(acc[q * 2 + 1]!).simd('f32x4.convert_i32x4_s').localGet(scale[q]!).simd('f32x4.splat').simd('f32x4.mul').localGet(b1).simd('f32x4.add'),
      threshold: threshold[q]!,
      scratch,
      insert,
      query: () => code.localGet(queryIndex).i32Const(q).op('i32.add'),
      panel: () => code.localGet(firstPanel).localGet(step).op('i32.add'),
    });
  }
  code.localGet(codePtr).i32Const(panelBytes).op('i32.add').localSet(codePtr);
  code.localGet(biasPtr).i32Const(32).op('i32.add').localSet(biasPtr);
  code.localGet(step).i32Const(1).op('i32.add').localSet(step);
  code.br(0).end().end();
  for (let q = 0; q < queries; q++) code.localGet(thresholdPtr).localGet(threshold[q]!).mem('f32.store', q * 4);
}

/**
 * f16 → f32 for normal numbers and zero (the f16 index stores no subnormals, infinities or NaN):
 * bits = ((h & 0x7fff) << 13) + (112 << 23), zeroed where the exponent is 0, then the sign.
 */
export function decodeF16(module: ModuleBuilder): void {
  const code = module.addFunction('decode_f16', [I32, I32, I32]);
  const [src, dst, groups] = [0, 1, 2];
  const i = code.local('i32');
  const h = code.local('v128');
  const magnitude = code.local('v128');
  const exponent = code.local('v128');
  const sign = code.local('v128');
  const bias = code.local('v128');
  const zero = code.local('v128');
  code.v128Const(Int32Array.of(0x7fff, 0x7fff, 0x7fff, 0x7fff)).localSet(magnitude);
  code.v128Const(Int32Array.of(0x7c00, 0x7c00, 0x7c00, 0x7c00)).localSet(exponent);
  code.v128Const(Int32Array.of(0x8000, 0x8000, 0x8000, 0x8000)).localSet(sign);
  code.v128Const(Int32Array.of(0x38000000, 0x38000000, 0x38000000, 0x38000000)).localSet(bias);
  code.v128Const(new Int32Array(4)).localSet(zero);
  code.i32Const(0).localSet(i);
  code.block().loop();
  code.localGet(i).localGet(groups).op('i32.ge_u').brIf(1);
  for (let half = 0; half < 2; half++) {
    code.localGet(src).simdMem('v128.load16x4_u', half * 8).localSet(h);
    code.localGet(dst);
    // ((h & 0x7fff) << 13) + bias
    code.localGet(h).localGet(magnitude).simd('v128.and').i32Const(13).simd('i32x4.shl').localGet(bias).simd('i32x4.add');
    // … and-not (exponent == 0)
    code.localGet(h).localGet(exponent).simd('v128.and').localGet(zero).simd('i32x4.eq').simd('v128.andnot');
    // | (h & 0x8000) << 16
    code.localGet(h).localGet(sign).simd('v128.and').i32Const(16).simd('i32x4.shl').simd('v128.or');
    code.simdMem('v128.store', half * 16);
  }
  code.localGet(src).i32Const(16).op('i32.add').localSet(src);
  code.localGet(dst).i32Const(32).op('i32.add').localSet(dst);
  code.localGet(i).i32Const(1).op('i32.add').localSet(i);
  code.br(0).end().end();
}
