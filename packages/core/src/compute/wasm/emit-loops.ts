import type { Code } from './wasm-encoder.js';

/** Dimensions at or below this are unrolled completely; above, loops over unrolled blocks. */
const FULL_UNROLL_LIMIT = 256;
const DEFAULT_BLOCK = 32;
/** Chunks of four floats per iteration of the row dot product (a multiple of its 4 accumulators). */
const ROW_DOT_BLOCK = 4;

/**
 * Emits `body(j)` for j in [0, dim): fully unrolled, or as a loop over blocks of `block` unrolled
 * steps that advances the pointers. A short loop body matters for the scans: given a long
 * straight-line body, V8's optimizing compiler hoists every load to the top and spills them.
 */
export function unrolled(code: Code, dim: number, pointers: readonly { local: number; bytesPerStep: number }[], body: (j: number) => void, block?: number): void {
  const UNROLL_BLOCK = block ?? DEFAULT_BLOCK;
  if (block === undefined ? dim <= FULL_UNROLL_LIMIT : dim < 2 * block) {
    for (let j = 0; j < dim; j++) body(j);
    return;
  }
  const blocks = Math.floor(dim / UNROLL_BLOCK);
  const counter = code.local('i32');
  // Pointers advance as the block loop runs; they are restored afterwards for the caller.
  const saved = pointers.map((p) => {
    const local = code.local('i32');
    code.localGet(p.local).localSet(local);
    return local;
  });
  code.i32Const(0).localSet(counter);
  code.loop();
  for (let j = 0; j < UNROLL_BLOCK; j++) body(j);
  for (const p of pointers) code.localGet(p.local).i32Const(p.bytesPerStep * UNROLL_BLOCK).op('i32.add').localSet(p.local);
  code.localGet(counter).i32Const(1).op('i32.add').localTee(counter).i32Const(blocks).op('i32.lt_u').brIf(0);
  code.end();
  for (let j = 0; j < dim - blocks * UNROLL_BLOCK; j++) body(j);
  pointers.forEach((p, i) => code.localGet(saved[i]!).localSet(p.local));
}

/** Locals the row dot product needs, declared once per function. */
export interface RowDotLocals {
  readonly acc: readonly number[];
  readonly sum: number;
  readonly pj: number;
  readonly qj: number;
}

export function rowDotLocals(code: Code, dim: number): RowDotLocals {
  const chunks = Math.ceil(dim / 4);
  return {
    acc: Array.from({ length: Math.min(4, chunks) }, () => code.local('v128')),
    sum: code.local('v128'),
    pj: code.local('i32'),
    qj: code.local('i32'),
  };
}

/**
 * Pushes dot(query, row) as f32 for a row padded to a multiple of 4: up to four v128 accumulators
 * (chunk c into accumulator c % 4), summed lane-wise in order, then lanes (0 + 1) + (2 + 3). The
 * reference kernels add in exactly this order, so both give the same bits.
 */
export function emitRowDot(code: Code, dim: number, l: RowDotLocals, row: () => void, query: () => void): void {
  const chunks = Math.ceil(dim / 4);
  for (const a of l.acc) code.v128Const(new Int32Array(4)).localSet(a);
  row();
  code.localSet(l.pj);
  query();
  code.localSet(l.qj);
  // Loop blocks are a multiple of 4 chunks, so chunk c always lands in accumulator c % 4.
  unrolled(code, chunks, [{ local: l.pj, bytesPerStep: 16 }, { local: l.qj, bytesPerStep: 16 }], (c) => {
    const a = l.acc[c % l.acc.length]!;
    code.localGet(a).localGet(l.pj).simdMem('v128.load', c * 16).localGet(l.qj).simdMem('v128.load', c * 16).simd('f32x4.mul').simd('f32x4.add').localSet(a);
  }, ROW_DOT_BLOCK);
  code.localGet(l.acc[0]!);
  for (let a = 1; a < l.acc.length; a++) code.localGet(l.acc[a]!).simd('f32x4.add');
  code.localSet(l.sum);
  code.localGet(l.sum).f32x4ExtractLane(0).localGet(l.sum).f32x4ExtractLane(1).op('f32.add');
  code.localGet(l.sum).f32x4ExtractLane(2).localGet(l.sum).f32x4ExtractLane(3).op('f32.add').op('f32.add');
}

