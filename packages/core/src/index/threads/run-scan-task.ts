import { probeSeeds } from '../flat/probe-seeds.js';
import { exactScores } from '../flat/exact-scores.js';
import { executeScan } from '../flat/scan-plan.js';
import { instantiateSearchKernels, type SearchKernelExports } from '../simd/search-kernels.js';
import { ScanSink } from './scan-sink.js';
import type { ScanTask, ScanTaskResult } from './scan-pool.js';

interface Instance {
  readonly kernels: SearchKernelExports;
  readonly sink: ScanSink;
}

/** Kernel instances a worker keeps, by memory key (the few indexes searched lately). */
const CACHED = 8;

/**
 * The worker side of a parallel flat search: instantiates the index's kernels over its shared
 * memory (once per memory), seeds its queries' thresholds when the caller did not, scans the
 * task's slice into a collector of its own, and returns the kept candidates per query.
 * Runs in any thread that has WebAssembly and shared memory.
 */
export class ScanTaskRunner {
  readonly #instances = new Map<string, Promise<Instance>>();

  async run(task: ScanTask): Promise<ScanTaskResult> {
    const { kernels, sink } = await this.#instance(task);
    const { slice, pool } = task;
    const m = slice.firstQuery + slice.queries;
    sink.collector.reset(m, pool);
    sink.count = task.count;
    sink.scores = new Float32Array(task.memory.buffer, slice.scratch, 8);
    if (task.seeds) sink.seeds = task.seeds;
    else {
      sink.seeds = new Float32Array(m).fill(-Infinity);
      probeSeeds(kernels, task.plan, sink, slice, task.panels, pool, new Float32Array(task.memory.buffer, slice.thresholds, m));
    }
    executeScan(kernels, task.plan, slice);
    const offsets = new Int32Array(slice.queries + 1);
    for (let i = 0; i < slice.queries; i++) offsets[i + 1] = offsets[i]! + sink.collector.count(slice.firstQuery + i);
    const slots = new Int32Array(offsets[slice.queries]!);
    const keys = new Float32Array(slots.length);
    for (let i = 0; i < slice.queries; i++) {
      const sorted = sink.collector.sorted(slice.firstQuery + i);
      slots.set(sorted.slots, offsets[i]!);
      keys.set(sorted.keys, offsets[i]!);
    }
    const scores = task.exact ? exactScores(task, slice.firstQuery, offsets, slots) : null;
    return { offsets, slots, keys, scores };
  }

  #instance(task: ScanTask): Promise<Instance> {
    let instance = this.#instances.get(task.memoryKey);
    if (!instance) {
      const sink = new ScanSink();
      instance = instantiateSearchKernels(task.plan.dim, task.memory, (q, p) => sink.insert(q, p), task.stages, true).then((kernels) => ({ kernels, sink }));
      instance.catch(() => this.#instances.delete(task.memoryKey));
      this.#instances.set(task.memoryKey, instance);
      if (this.#instances.size > CACHED) this.#instances.delete(this.#instances.keys().next().value!);
    }
    return instance;
  }
}
