import { PANEL } from '../simd/flat-scan-kernels.js';
import type { SearchKernelExports } from '../simd/search-kernels.js';
import type { ScanSink } from '../threads/scan-sink.js';
import { TopKCollector } from '../top-k-collector.js';
import { forEachQueryBlock, type ScanPlan, type ScanSlice } from './scan-plan.js';

/** Panels spread over the index that the probe scores before the real scan. */
const PROBES = 16;

/**
 * Seeds the thresholds of the slice's queries before their scan: scores them against a few panels
 * spread over the index (the plan's f32 kernel, no bound, into a collector of its own) and sets
 * each query's seed just below its `pool`-th best probe score, so the real scan starts with a
 * threshold every vector it must keep beats instead of −∞. The seeds only prune; results do not
 * change. Runs on whichever thread scans the queries (each thread probes its own share of a batch).
 * Plans other than f32 keep −∞, as do indexes too small to pay.
 *
 * Expects `sink.seeds` at −∞ for the slice's queries; writes them and the slice's `thresholds`
 * (a view of the slice's thresholds, indexed by absolute query).
 */
export function probeSeeds(k: SearchKernelExports, plan: ScanPlan, sink: ScanSink, slice: ScanSlice, panels: number, pool: number, thresholds: Float32Array): void {
  const { firstQuery, queries } = slice;
  const probes = Math.min(PROBES, panels);
  if ((plan.kind !== 'f32' && plan.kind !== 'f32-bounded') || probes * PANEL < 2 * pool || panels < 64) {
    thresholds.set(sink.seeds.subarray(firstQuery, firstQuery + queries), firstQuery);
    return;
  }
  const kept = sink.collector;
  const probe = new TopKCollector(firstQuery + queries, pool);
  sink.collector = probe;
  try {
    thresholds.fill(-Infinity, firstQuery, firstQuery + queries);
    for (let i = 0; i < probes; i++) {
      const panel = Math.floor((i * panels) / probes);
      const at = plan.panels + panel * plan.dim * PANEL * 4;
      const bias = plan.bias + panel * 32;
      forEachQueryBlock(firstQuery, queries, (q0, size) => (size === 1 ? k.scan_f32_q1 : k.scan_f32_qb)(at, 1, panel, plan.queries + q0 * plan.dim * 4, q0, bias, slice.thresholds + q0 * 4, slice.scratch));
    }
  } finally {
    sink.collector = kept;
  }
  for (let q = firstQuery; q < firstQuery + queries; q++) {
    const kth = probe.threshold(q);
    // Just below the pool-th probe score, so that vector itself still enters (the kernels keep only keys > threshold).
    if (kth > -Infinity) sink.seeds[q] = Math.fround(kth - Math.max(Math.abs(kth) * 2 ** -20, 1e-30));
    thresholds[q] = sink.seeds[q]!;
  }
}
