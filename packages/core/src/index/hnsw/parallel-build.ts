import { LinearMemory } from '../../compute/wasm/linear-memory.js';
import type { KernelSet } from '../kernel-set.js';
import { instantiateSearchKernels, type SearchKernelExports } from '../simd/search-kernels.js';
import type { VectorMetric } from '../types.js';
import { GRAPH_STATE_INTS, GraphLocks } from './graph-locks.js';
import { HnswBuild } from './hnsw-build.js';
import { HnswLayout, nodeBlockBytes } from './hnsw-layout.js';
import { HnswSearch } from './hnsw-search.js';

/**
 * One worker's part of a parallel HNSW build: insert nodes taken from the shared counter until
 * `end`, into the graph in the index's shared memory. `regions` is the owner's layout with this
 * worker's own scratch (visit marks, heaps, id and key lists) under the usual names.
 */
export interface GraphInsertTask {
  readonly memoryKey: string;
  readonly memory: WebAssembly.Memory;
  readonly stages: readonly number[];
  readonly dim: number;
  readonly metric: VectorMetric;
  readonly M: number;
  readonly efConstruction: number;
  readonly regions: readonly (readonly [string, number, number])[];
  readonly capacity: number;
  /** Nodes first … end − 1 are this build's; `levels` are theirs, in order. */
  readonly first: number;
  readonly end: number;
  readonly levels: Uint8Array;
}

/** How many nodes the worker inserted. */
export interface GraphInsertResult {
  readonly inserted: number;
}

/** The per-search regions each thread needs its own copy of. */
const SCRATCH = ['visited', 'candidates', 'results', 'query', 'gatherIds', 'gatherKeys'];

/** A graph this small is built on one thread first: the threads then start in a connected graph. */
const SERIAL_NODES = 512;

function scratchName(name: string, worker: number): string {
  return `${name}@${worker}`;
}

/** The threads a parallel build inserts on (a ScanPool with insertGraph). */
export interface GraphInsertPool {
  /** The calling thread plus the workers. */
  readonly threads: number;
  /**
   * False where the calling thread may not block in Atomics.wait (a browser page's main thread),
   * which the node locks do when contended: it then only coordinates and the workers insert
   * every node. Absent or true: it inserts its share too (Node).
   */
  readonly callerMayWait?: boolean;
  insertGraph(task: GraphInsertTask, worker: number): Promise<GraphInsertResult>;
}

/** The graph's shared state and the workers' tasks, set up once the regions are sized. */
interface SharedGraph {
  readonly locks: GraphLocks;
  /** Worker w's task inserting from the shared counter up to `until`. */
  task(worker: number, until: number): GraphInsertTask;
}

/**
 * Sizes every region the threads touch before any starts (a resize moves the regions after it):
 * the result heap for efConstruction, the shared state with one lock per node, and each worker's
 * own search scratch.
 */
function shareGraph(L: HnswLayout, build: HnswBuild, workers: number, memoryKey: string, first: number, end: number): SharedGraph {
  const memory = L.set.memory;
  L.reserveResults(build.efConstruction);
  memory.declare('graphState', ...Array.from({ length: workers }, (_, w) => SCRATCH.map((name) => scratchName(name, w))).flat());
  memory.resize('graphState', (GRAPH_STATE_INTS + L.capacity) * 4);
  for (let w = 0; w < workers; w++) for (const name of SCRATCH) memory.resize(scratchName(name, w), memory.size(name));
  L.views();
  const locks = new GraphLocks(memory.i32('graphState'));
  const layoutRegions = memory.regions();
  const at = new Map(layoutRegions.map((r) => [r[0], r]));
  const levels = L.levels.slice(first, end);
  return {
    locks,
    task: (w, until) => {
      const regions = layoutRegions.filter(([name]) => !name.includes('@')).map((r) => (SCRATCH.includes(r[0]) ? ([r[0], at.get(scratchName(r[0], w))![1], r[2]] as const) : r));
      return { memoryKey, memory: memory.wasm!, stages: L.set.stages, dim: L.dim, metric: L.metric, M: L.M, efConstruction: build.efConstruction, regions, capacity: L.capacity, first, end: until, levels };
    },
  };
}

/** Throws the first failure of settled worker tasks (reported once none still writes). */
function throwFailed(results: readonly PromiseSettledResult<GraphInsertResult>[]): void {
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}

async function allInserted(tasks: readonly Promise<GraphInsertResult>[]): Promise<void> {
  throwFailed(await Promise.allSettled(tasks));
}

/**
 * Inserts placed nodes first … end − 1 (HnswBuild.place) on the pool's threads and this one. The
 * owner's regions are sized for the whole build before any thread starts, so none moves while
 * they work; each thread takes the next node from a shared counter, and the graph is not
 * deterministic across runs (which thread links first varies), but its recall is that of a
 * one-thread build. A pool whose caller may not wait (a page) builds on its workers alone
 * (insertOnWorkers).
 */
export async function insertInParallel(layout: HnswLayout, build: HnswBuild, pool: GraphInsertPool, memoryKey: string, first: number, end: number): Promise<void> {
  if (pool.callerMayWait === false) return insertOnWorkers(layout, build, pool, memoryKey, first, end);
  const L = layout;
  let node = first;
  for (; node < end && node < SERIAL_NODES; node++) build.insert(node, L.levels[node]!);
  if (node === end) return;
  const workers = pool.threads - 1;
  const shared = shareGraph(L, build, workers, memoryKey, first, end);
  const locks = shared.locks;
  locks.reset(L.entry, L.maxLevel, node);
  const tasks = Array.from({ length: workers }, (_, w) => pool.insertGraph(shared.task(w, end), w));
  // This thread inserts its share too; a failed worker is reported once this thread is done.
  const settled = Promise.allSettled(tasks);
  for (let n = locks.next(); n < end; n = locks.next()) build.insert(n, L.levels[n]!, locks);
  throwFailed(await settled);
  L.entry = locks.entry();
  L.maxLevel = locks.maxLevel();
}

/**
 * The build of a thread that may not block (a browser page): it never inserts, so it never takes
 * a lock. Worker 0 alone inserts the nodes before SERIAL_NODES (the first node of an empty graph
 * included), so the others start in a connected graph as on Node; then every worker draws from
 * the shared counter. This thread only awaits their answers.
 */
async function insertOnWorkers(L: HnswLayout, build: HnswBuild, pool: GraphInsertPool, memoryKey: string, first: number, end: number): Promise<void> {
  const workers = pool.threads - 1;
  const shared = shareGraph(L, build, workers, memoryKey, first, end);
  const locks = shared.locks;
  const serialEnd = Math.min(end, Math.max(first, SERIAL_NODES));
  locks.reset(L.entry, L.maxLevel, first);
  if (serialEnd > first) await allInserted([pool.insertGraph(shared.task(0, serialEnd), 0)]);
  if (serialEnd < end) {
    // The counter went one past serialEnd when worker 0 stopped; the node locks are all free.
    locks.reset(locks.entry(), locks.maxLevel(), serialEnd);
    await allInserted(Array.from({ length: workers }, (_, w) => pool.insertGraph(shared.task(w, end), w)));
  }
  L.entry = locks.entry();
  L.maxLevel = locks.maxLevel();
}

interface WorkerGraph {
  readonly kernels: SearchKernelExports;
}

/**
 * The worker side (GraphInsertTask): attaches to the owner's memory, instantiates the kernels over
 * it once per memory, and inserts nodes from the shared counter until none is left.
 */
export class GraphInsertRunner {
  readonly #instances = new Map<string, Promise<WorkerGraph>>();

  async run(task: GraphInsertTask): Promise<GraphInsertResult> {
    const { kernels } = await this.#instance(task);
    const memory = LinearMemory.attach(task.memory, task.regions);
    const set: KernelSet = { backend: 'wasm-simd', memory, kernels, stages: task.stages };
    const layout = new HnswLayout(task.dim, task.metric, task.M, set);
    layout.capacity = task.capacity;
    layout.nodes = task.end;
    // Marks left by an earlier build of this thread would read as this build's.
    layout.visited.fill(0);
    const search = new HnswSearch(layout);
    const build = new HnswBuild(layout, search, task.efConstruction, 0);
    const locks = new GraphLocks(memory.i32('graphState'));
    let inserted = 0;
    for (let node = locks.next(); node < task.end; node = locks.next()) {
      build.insert(node, task.levels[node - task.first]!, locks);
      inserted++;
    }
    return { inserted };
  }

  #instance(task: GraphInsertTask): Promise<WorkerGraph> {
    let instance = this.#instances.get(task.memoryKey);
    if (!instance) {
      instance = instantiateSearchKernels(task.dim, task.memory, () => -Infinity, task.stages, true, nodeBlockBytes(task.dim, task.M)).then((kernels) => ({ kernels }));
      instance.catch(() => this.#instances.delete(task.memoryKey));
      this.#instances.set(task.memoryKey, instance);
      // A few indexes' kernels at most: an old build's are dropped first.
      if (this.#instances.size > 4) this.#instances.delete(this.#instances.keys().next().value!);
    }
    return instance;
  }
}
