import type { KernelDef } from '../../kernel.js';
import { topKCpu } from './top-k.cpu.js';
import { topKOutputs, type TopKAttrs } from './top-k.shape.js';
import { topKWgsl } from './top-k.wgsl.js';

export type { TopKAttrs } from './top-k.shape.js';

/**
 * The k best values of each row along the last axis and their indices, best first.
 * Ties keep the lower index first, on both backends (the scan is in index order and only a
 * strictly better value displaces one already kept).
 */
export const topK: KernelDef<'x', 'values' | 'indices', TopKAttrs> = {
  name: 'top-k',
  description: 'k largest (or smallest) values along the last axis with their indices, sorted',
  inputs: { x: ['f32'] },
  outputs: topKOutputs,
  cpu: topKCpu,
  wgsl: topKWgsl,
  tolerance: 0,
};
