import { describe, expect, it } from 'vitest';
import { wasmSimdSupported } from '../../compute/wasm/backend.js';
import { clusteredVectors } from '../testing/vectors.js';
import type { ScanPool } from '../threads/scan-pool.js';
import { HnswIndex } from './hnsw-index.js';
import { GraphInsertRunner, type GraphInsertTask } from './parallel-build.js';

// The build of a pool whose calling thread may not wait on a lock (a browser page): the workers
// insert every node, worker 0 alone up to node 512, and the caller only hands the shared counter
// and entry point over between the phases. Here the workers' runners answer on this thread, one
// task after another, so nodes are linked in row order as on one thread: the graph must then be
// addBatch's exactly, whatever the batches, which checks the hand-overs apart from thread timing.
// Real Web Workers building at once are tested in Chromium (e2e/threads).
const DIM = 16;
const N = 1200;
const vectors = clusteredVectors(5, N, DIM, { clusters: 10 });
const ids = Int32Array.from({ length: N }, (_, i) => 10 + i);

/** A page-like pool of `workers` workers whose runners answer on this thread, with each task's range. */
function pageLikePool(workers: number): ScanPool & { tasks: { worker: number; first: number; end: number; inserted: number }[] } {
  const runners = Array.from({ length: workers }, () => new GraphInsertRunner());
  const tasks: { worker: number; first: number; end: number; inserted: number }[] = [];
  return {
    threads: workers + 1,
    callerMayWait: false,
    tasks,
    run: () => Promise.reject(new Error('this pool only builds graphs')),
    insertGraph: async (task: GraphInsertTask, worker: number) => {
      const result = await runners[worker]!.run(task);
      tasks.push({ worker, first: task.first, end: task.end, inserted: result.inserted });
      return result;
    },
    close: async () => undefined,
  };
}

function graphOf(index: HnswIndex): unknown {
  const { params, levels, links0, counts0, upperOffset, upper } = index.snapshot();
  return { entry: params.entry, maxLevel: params.maxLevel, nodes: params.nodes, levels, links0, counts0, upperOffset, upper };
}

describe.skipIf(!wasmSimdSupported())('HNSW build on workers only (a page coordinating)', () => {
  it('builds addBatch graph exactly, every node inserted by a worker, worker 0 alone before node 512', async () => {
    for (const batches of [[N], [300, 900], [700, 500]]) {
      const pool = pageLikePool(3);
      const coordinated = await HnswIndex.create({ dim: DIM, metric: 'l2', M: 8, efConstruction: 40, pool });
      expect(coordinated.threads).toBe(3);
      const serial = await HnswIndex.create({ dim: DIM, metric: 'l2', M: 8, efConstruction: 40 });
      let at = 0;
      for (const rows of batches) {
        await coordinated.addBatchParallel(ids.subarray(at, at + rows), vectors.subarray(at * DIM, (at + rows) * DIM));
        serial.addBatch(ids.subarray(at, at + rows), vectors.subarray(at * DIM, (at + rows) * DIM));
        at += rows;
      }
      expect(graphOf(coordinated), `batches ${batches.join('+')}`).toEqual(graphOf(serial));
      expect(pool.tasks.reduce((sum, t) => sum + t.inserted, 0)).toBe(N);
      // The serial tasks: worker 0 alone, ending at node 512 (or the batch's end before it).
      const serialTasks = pool.tasks.filter((t) => t.end <= 512);
      expect(serialTasks.every((t) => t.worker === 0)).toBe(true);
      expect(serialTasks.reduce((sum, t) => sum + t.inserted, 0)).toBe(512);
      // Every batch that passes node 512 gives each of the three workers a task.
      const parallelBatches = batches.filter((_, b) => batches.slice(0, b + 1).reduce((s, r) => s + r, 0) > 512).length;
      expect(pool.tasks.filter((t) => t.end > 512).map((t) => t.worker).sort()).toEqual(Array.from({ length: parallelBatches }, () => [0, 1, 2]).flat().sort());
    }
  });

  it('a page pool of one thread builds on this thread (addBatch)', async () => {
    const pool = pageLikePool(0);
    const index = await HnswIndex.create({ dim: DIM, metric: 'cosine', M: 8, efConstruction: 40, pool });
    expect(index.threads).toBe(1);
    await index.addBatchParallel(ids.subarray(0, 600), vectors.subarray(0, 600 * DIM));
    expect(pool.tasks).toEqual([]);
    const serial = await HnswIndex.create({ dim: DIM, metric: 'cosine', M: 8, efConstruction: 40 });
    serial.addBatch(ids.subarray(0, 600), vectors.subarray(0, 600 * DIM));
    expect(graphOf(index)).toEqual(graphOf(serial));
  });
});
