import { PANEL } from '../simd/flat-scan-kernels.js';
import { TopKCollector } from '../top-k-collector.js';

/**
 * The host side of the scan kernels (their `insert` import): reads the eight scores a kernel left
 * in its scratch, offers those above the query's seed and current threshold to the collector, and
 * returns the new threshold. One per thread of a scan.
 */
export class ScanSink {
  collector = new TopKCollector();
  /** Per query, a key at least `pool` vectors beat (−∞ when unknown): nothing at or below it is kept. */
  seeds: Float32Array<ArrayBufferLike> = new Float32Array(0);
  /** The scratch the kernels write eight scores to (a view, bound for one scan). */
  scores: Float32Array<ArrayBufferLike> = new Float32Array(PANEL);
  /** Slots in the index: lanes past it in the last panel are padding. */
  count = 0;

  insert(query: number, panel: number): number {
    const scores = this.scores;
    const collector = this.collector;
    const seed = this.seeds[query]!;
    const first = panel * PANEL;
    const last = Math.min(PANEL, this.count - first);
    for (let lane = 0; lane < last; lane++) {
      const key = scores[lane]!;
      if (key > seed && key > collector.threshold(query)) collector.offer(query, key, first + lane);
    }
    return Math.max(seed, collector.threshold(query));
  }
}
