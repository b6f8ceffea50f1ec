import type { KernelDef } from '../../kernel.js';
import { topKMergeCpu } from './top-k-merge.cpu.js';
import { topKMergeOutputs, type TopKMergeAttrs } from './top-k-merge.shape.js';
import { topKMergeWgsl } from './top-k-merge.wgsl.js';

export type { TopKMergeAttrs } from './top-k-merge.shape.js';

/**
 * The second step of flat search on the GPU: merges candidate lists (scores, ids) along the last
 * axis — e.g. similarity-top-k's [m, chunks · k] — into each row's k best, skipping index −1
 * padding; rows with fewer than k candidates are padded with (∓∞, −1). Equal values rank the lower
 * index first, so the result does not depend on candidate order.
 */
export const topKMerge: KernelDef<'scores' | 'ids', 'values' | 'indices', TopKMergeAttrs> = {
  name: 'top-k-merge',
  description: 'merges (value, index) candidate lists into the k best per row, skipping index −1',
  inputs: { scores: ['f32'], ids: ['i32'] },
  outputs: topKMergeOutputs,
  cpu: topKMergeCpu,
  wgsl: topKMergeWgsl,
  tolerance: 0,
};
