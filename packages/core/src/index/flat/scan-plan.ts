import { PANEL, QUERY_BLOCK } from '../simd/flat-scan-kernels.js';
import type { SearchKernelExports } from '../simd/search-kernels.js';

/** Panel bytes scanned per block of queries in a batch, so a block stays in the L2 cache across queries. */
const CHUNK_BYTES = 512 * 1024;

/** f16 panels decoded to f32 at a time before they are scanned (256 KiB of halves at dim 64). */
export const DECODE_PANELS = 256;

/**
 * Where a flat scan reads, as plain numbers (pointers into the index's linear memory), so the same
 * scan runs on the index's thread or on a worker thread holding the same shared memory. Everything
 * a plan points at is written before the scan and only read during it.
 */
export type ScanPlan =
  | { readonly kind: 'f32'; readonly dim: number; readonly panels: number; readonly bias: number; readonly queries: number }
  | {
      readonly kind: 'f32-bounded';
      readonly dim: number;
      readonly panels: number;
      readonly bias: number;
      readonly queries: number;
      /** One tail-norm array per bound stage. */
      readonly tails: readonly number[];
      /** The queries' tail norms, [query][stage]. */
      readonly queryTails: number;
    }
  | { readonly kind: 'f16'; readonly dim: number; readonly halves: number; readonly bias: number; readonly queries: number }
  | {
      readonly kind: 'f16-bounded';
      readonly dim: number;
      readonly halves: number;
      readonly bias: number;
      readonly queries: number;
      /** As f32-bounded's, from the f16 values. */
      readonly tails: readonly number[];
      readonly queryTails: number;
    }
  | { readonly kind: 'i8'; readonly dim: number; readonly codes: number; readonly bias: number; readonly queryCodes: number; readonly scales: number };

/**
 * One thread's share of a scan: panels [firstPanel, firstPanel + panels) against queries
 * [firstQuery, firstQuery + queries), with that thread's own thresholds (indexed by absolute query),
 * eight-score scratch and f16 decode block.
 */
export interface ScanSlice {
  readonly firstPanel: number;
  readonly panels: number;
  readonly firstQuery: number;
  readonly queries: number;
  readonly thresholds: number;
  readonly scratch: number;
  /** f16 decode block of DECODE_PANELS panels (unused by the other kinds). */
  readonly decoded: number;
}

/** Bytes of one thread's working area for `m` queries: thresholds, scratch, and an f16 decode block when `decodes`. */
export function sliceBytes(dim: number, m: number, decodes: boolean): number {
  const decoded = decodes ? DECODE_PANELS * dim * PANEL * 4 : 0;
  return align(m * 4) + 64 + decoded;
}

/** The slice pointers inside a working area at `base` (see sliceBytes). */
export function sliceArea(base: number, m: number): { thresholds: number; scratch: number; decoded: number } {
  const thresholds = base;
  const scratch = base + align(m * 4);
  return { thresholds, scratch, decoded: scratch + 64 };
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/** Calls `block(q, size)` over queries [first, first + m) in blocks of QUERY_BLOCK, then singles. */
export function forEachQueryBlock(first: number, m: number, block: (q: number, size: 1 | typeof QUERY_BLOCK) => void): void {
  let q = first;
  const end = first + m;
  if (m > 1) for (; q + QUERY_BLOCK <= end; q += QUERY_BLOCK) block(q, QUERY_BLOCK);
  for (; q < end; q++) block(q, 1);
}

/** Calls `block(p0, count)` over the slice's panels in chunks of about `chunkBytes / panelBytes`. */
function forEachChunk(slice: ScanSlice, panelBytes: number, chunkPanels: number, block: (p0: number, count: number) => void): void {
  const chunk = Math.max(1, chunkPanels > 0 ? chunkPanels : Math.floor(CHUNK_BYTES / panelBytes));
  const end = slice.firstPanel + slice.panels;
  for (let p = slice.firstPanel; p < end; p += chunk) block(p, Math.min(chunk, end - p));
}

/**
 * Runs a plan's kernels over a slice. Each query sees its panels in increasing order whatever the
 * slicing, and the collectors order equal keys by slot, so a query's kept candidates depend only
 * on which panels it saw — not on the thread or the chunking.
 */
export function executeScan(k: SearchKernelExports, plan: ScanPlan, slice: ScanSlice): void {
  const { dim } = plan;
  const { thresholds, scratch } = slice;
  switch (plan.kind) {
    case 'f32':
    case 'f32-bounded': {
      const panelBytes = dim * PANEL * 4;
      const stages = plan.kind === 'f32-bounded' ? plan.tails.length : 0;
      forEachChunk(slice, panelBytes, 0, (p0, count) => {
        const at = plan.panels + p0 * panelBytes;
        const bias = plan.bias + p0 * 32;
        forEachQueryBlock(slice.firstQuery, slice.queries, (q0, size) => {
          const q = plan.queries + q0 * dim * 4;
          const t = thresholds + q0 * 4;
          if (plan.kind === 'f32-bounded') {
            const scan = size === 1 ? k.scan_f32_q1_bounded : k.scan_f32_qb_bounded;
            scan(at, count, p0, q, q0, bias, t, scratch, ...plan.tails.map((tail) => tail + p0 * 32), plan.queryTails + q0 * stages * 4);
          } else {
            (size === 1 ? k.scan_f32_q1 : k.scan_f32_qb)(at, count, p0, q, q0, bias, t, scratch);
          }
        });
      });
      return;
    }
    case 'f16':
    case 'f16-bounded': {
      const halfPanelBytes = dim * PANEL * 2;
      const stages = plan.kind === 'f16-bounded' ? plan.tails.length : 0;
      forEachChunk(slice, halfPanelBytes, DECODE_PANELS, (p0, count) => {
        k.decode_f16(plan.halves + p0 * halfPanelBytes, slice.decoded, count * dim);
        forEachQueryBlock(slice.firstQuery, slice.queries, (q0, size) => {
          const q = plan.queries + q0 * dim * 4;
          const t = thresholds + q0 * 4;
          if (plan.kind === 'f16-bounded') {
            const scan = size === 1 ? k.scan_f32_q1_bounded : k.scan_f32_qb_bounded;
            scan(slice.decoded, count, p0, q, q0, plan.bias + p0 * 32, t, scratch, ...plan.tails.map((tail) => tail + p0 * 32), plan.queryTails + q0 * stages * 4);
          } else {
            (size === 1 ? k.scan_f32_q1 : k.scan_f32_qb)(slice.decoded, count, p0, q, q0, plan.bias + p0 * 32, t, scratch);
          }
        });
      });
      return;
    }
    case 'i8': {
      const pairs = Math.ceil(dim / 2);
      const panelBytes = pairs * 16;
      forEachChunk(slice, panelBytes, 0, (p0, count) => {
        forEachQueryBlock(slice.firstQuery, slice.queries, (q0, size) => {
          const scan = size === 1 ? k.scan_i8_q1 : k.scan_i8_qb;
          scan(plan.codes + p0 * panelBytes, count, p0, plan.queryCodes + q0 * pairs * 4, q0, plan.bias + p0 * 32, thresholds + q0 * 4, scratch, plan.scales + q0 * 4);
        });
      });
      return;
    }
  }
}
