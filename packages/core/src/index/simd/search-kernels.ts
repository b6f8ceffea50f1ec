import { emitRowDot, rowDotLocals } from '../../compute/wasm/emit-loops.js';
import { compileOnce } from '../../compute/wasm/compile.js';
import { ModuleBuilder } from '../../compute/wasm/wasm-encoder.js';
import { decodeF16, QUERY_BLOCK, scanF32, scanI8 } from './flat-scan-kernels.js';
import { searchLayer0, searchUpper } from './graph-search-kernel.js';

/**
 * WebAssembly SIMD kernels of the vector indexes, generated for one dimension (constant offsets,
 * loops shaped for V8's compiler) with the encoder of compute/wasm: the flat scans
 * (flat-scan-kernels.ts), `gather_keys` (here) and the HNSW walks (graph-search-kernel.ts), in one
 * module. The plain TypeScript loops in `reference-kernels.ts` compute the same things bit for bit
 * and are what the tests compare these against.
 *
 * Layouts (all little-endian, in the index's linear memory):
 * - f32 panels: vectors in groups of PANEL = 8, dimension-major inside a group —
 *   panel[p][j][lane], so one v128 holds dimension j of four vectors and a query's coordinate is
 *   broadcast once for eight vectors; scores come out eight at a time with no horizontal sums.
 * - int8 panels: codes (u8) in groups of 8 vectors, by dimension pairs — panel[p][j/2][lane][2] —
 *   so `i32x4.dot_i16x8_s` multiplies two dimensions of four vectors by an (i16, i16) query pair.
 * - f16 panels: like f32 panels with u16 halves; decoded to an f32 scratch panel block first.
 * - rows: f32, each padded to a multiple of 4, `stride` bytes apart (HNSW's node blocks, whose
 *   rows sit beside their layer-0 links); scored by `gather_keys` and the graph kernels of
 *   graph-search-kernel.ts.
 *
 * Every scan keeps one threshold per query (the score a candidate must beat to enter that query's
 * top-k) and compares eight scores at once; only when one beats it does it call the host's
 * `insert(query, panel)`, which reads the eight scores from `scratch` and returns the new threshold.
 */

export interface SearchKernelExports {
  /** Scores `count` panels against 1 (q1) or `QUERY_BLOCK` (qb) consecutive f32 queries. */
  scan_f32_q1(panels: number, count: number, firstPanel: number, queries: number, queryIndex: number, bias: number, thresholds: number, scratch: number): void;
  scan_f32_qb(panels: number, count: number, firstPanel: number, queries: number, queryIndex: number, bias: number, thresholds: number, scratch: number): void;
  /**
   * The same with the stage bounds: one tail-norm array per stage (per vector), then the query
   * tails ([query][stage]). See scanF32.
   */
  scan_f32_q1_bounded(panels: number, count: number, firstPanel: number, queries: number, queryIndex: number, bias: number, thresholds: number, scratch: number, ...tails: number[]): void;
  scan_f32_qb_bounded(panels: number, count: number, firstPanel: number, queries: number, queryIndex: number, bias: number, thresholds: number, scratch: number, ...tails: number[]): void;
  /** Scores int8 code panels against (i16, i16)-paired quantized queries; `scales` converts the integer dot to f32. */
  scan_i8_q1(codes: number, count: number, firstPanel: number, queries: number, queryIndex: number, bias: number, thresholds: number, scratch: number, scales: number): void;
  scan_i8_qb(codes: number, count: number, firstPanel: number, queries: number, queryIndex: number, bias: number, thresholds: number, scratch: number, scales: number): void;
  /** Decodes `groups` × 8 f16 values (normal numbers and zero) to f32. */
  decode_f16(src: number, dst: number, groups: number): void;
  /** out[i] = dot(query, row[ids[i]]) + bias[ids[i]] over padded rows of `stride` bytes. */
  gather_keys(rows: number, stride: number, query: number, ids: number, count: number, bias: number, out: number): void;
  /** HNSW's layer-0 best-first search; see graph-search-kernel.ts. Returns the result count. */
  search_layer0(
    query: number,
    entry: number,
    entryKey: number,
    ef: number,
    epoch: number,
    links: number,
    counts: number,
    stride: number,
    visited: number,
    rows: number,
    bias: number,
    flags: number,
    want: number,
    candidates: number,
    results: number,
    scratchIds: number,
    scratchKeys: number,
  ): number;
  /** HNSW's greedy descent through layers top..bottom; see graph-search-kernel.ts. Returns the node, its key at keyOut. */
  search_upper(query: number, entry: number, entryKey: number, top: number, bottom: number, offsets: number, upper: number, linkBlock: number, rows: number, stride: number, bias: number, keyOut: number): number;
}

type Insert = (query: number, panel: number) => number;

const I32 = 'i32' as const;

/** Keys of a list of rows against one query: out[i] = dot(query, row[ids[i]]) + bias[ids[i]]. */
function gatherKeys(module: ModuleBuilder, dim: number): void {
  const code = module.addFunction('gather_keys', [I32, I32, I32, I32, I32, I32, I32]);
  const [rows, stride, query, ids, count, bias, out] = [0, 1, 2, 3, 4, 5, 6];
  const i = code.local('i32');
  const id = code.local('i32');
  const dot = rowDotLocals(code, dim);
  code.i32Const(0).localSet(i);
  code.block().loop();
  code.localGet(i).localGet(count).op('i32.ge_u').brIf(1);
  code.localGet(ids).localGet(i).i32Const(2).op('i32.shl').op('i32.add').mem('i32.load').localSet(id);
  code.localGet(out).localGet(i).i32Const(2).op('i32.shl').op('i32.add');
  emitRowDot(
    code,
    dim,
    dot,
    () => code.localGet(rows).localGet(id).localGet(stride).op('i32.mul').op('i32.add'),
    () => code.localGet(query),
  );
  code.localGet(bias).localGet(id).i32Const(2).op('i32.shl').op('i32.add').mem('f32.load').op('f32.add');
  code.mem('f32.store');
  code.localGet(i).i32Const(1).op('i32.add').localSet(i);
  code.br(0).end().end();
}

/**
 * The kernel module's bytes for one dimension and its bound stages; `graphBlock`: the bytes of an
 * HNSW node block the graph walk touches ahead (HnswLayout.stride; 0 where no graph is walked).
 */
export function searchKernelModule(dim: number, stages: readonly number[] = boundStages(dim), sharedMemory = false, graphBlock = 0): Uint8Array {
  const module = new ModuleBuilder({ sharedMemory });
  const insert = module.importFunction('env', 'insert', [I32, I32], ['f32']);
  scanF32(module, insert, 'scan_f32_q1', dim, 1, []);
  scanF32(module, insert, 'scan_f32_qb', dim, QUERY_BLOCK, []);
  scanF32(module, insert, 'scan_f32_q1_bounded', dim, 1, stages);
  scanF32(module, insert, 'scan_f32_qb_bounded', dim, QUERY_BLOCK, stages);
  scanI8(module, insert, 'scan_i8_q1', dim, 1);
  scanI8(module, insert, 'scan_i8_qb', dim, QUERY_BLOCK);
  decodeF16(module);
  gatherKeys(module, dim);
  searchLayer0(module, dim, graphBlock);
  searchUpper(module, dim);
  return module.encode();
}

/**
 * Prefix lengths at which the bounded scan checks its bound: an eighth and a quarter of the
 * dimensions (a quarter alone below 32 dimensions; none below 8) — on PCA outputs the first
 * quarter of the components carries most of the energy, and most panels stop at the first check.
 */
export function boundStages(dim: number): number[] {
  const quarter = Math.min(64, Math.round(dim / 4));
  if (quarter < 2 || quarter >= dim) return [];
  return quarter >= 8 ? [Math.round(quarter / 2), quarter] : [quarter];
}

/**
 * Instantiates the kernels over an index's memory; modules are compiled once per dimension, stages,
 * memory kind (`sharedMemory`: the memory is shared with worker threads) and graph block size.
 */
export async function instantiateSearchKernels(dim: number, memory: WebAssembly.Memory, insert: Insert, stages: readonly number[] = boundStages(dim), sharedMemory = false, graphBlock = 0): Promise<SearchKernelExports> {
  const module = await compileOnce(`index-search/${dim}/${stages.join(',')}${sharedMemory ? '/shared' : ''}/${graphBlock}`, () => searchKernelModule(dim, stages, sharedMemory, graphBlock));
  const instance = await WebAssembly.instantiate(module, { env: { memory, insert } });
  return instance.exports as unknown as SearchKernelExports;
}
