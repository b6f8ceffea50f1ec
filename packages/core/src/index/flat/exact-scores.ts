import { PANEL } from '../simd/flat-scan-kernels.js';
import type { ScanTask } from '../threads/scan-pool.js';

/**
 * Exact scores of a worker's kept candidates for an f32 plan, read from the shared panels: what
 * SlotTable.exact computes on the caller's thread (float64 sums of the f32 products, or of squared
 * differences, in dimension order), so the caller can skip rescoring the worker's queries. The
 * stored query is the kernel query, halved back for l2 (kernelQuery doubles it: exact).
 * Query i of the slice (absolute query firstQuery + i) kept slots [offsets[i], offsets[i + 1]).
 */
export function exactScores(task: ScanTask, firstQuery: number, offsets: Int32Array, slots: Int32Array): Float64Array {
  const { plan } = task;
  if (plan.kind !== 'f32' && plan.kind !== 'f32-bounded') throw new Error(`exact scores need an f32 plan, not ${plan.kind}`);
  const dim = plan.dim;
  const buffer = task.memory.buffer;
  const panels = new Float32Array(buffer, plan.panels, Math.ceil(task.count / PANEL) * PANEL * dim);
  const queries = new Float32Array(buffer, plan.queries, (firstQuery + offsets.length - 1) * dim);
  const q = new Float32Array(dim);
  const scores = new Float64Array(slots.length);
  const l2 = task.exact === 'l2';
  for (let i = 0; i + 1 < offsets.length; i++) {
    const at = (firstQuery + i) * dim;
    for (let j = 0; j < dim; j++) q[j] = l2 ? queries[at + j]! / 2 : queries[at + j]!;
    for (let c = offsets[i]!; c < offsets[i + 1]!; c++) {
      const slot = slots[c]!;
      const base = (slot >> 3) * dim * PANEL + (slot & 7);
      let sum = 0;
      if (l2) {
        for (let j = 0; j < dim; j++) {
          const diff = q[j]! - panels[base + j * PANEL]!;
          sum += diff * diff;
        }
      } else {
        for (let j = 0; j < dim; j++) sum += q[j]! * panels[base + j * PANEL]!;
      }
      scores[c] = sum;
    }
  }
  return scores;
}
