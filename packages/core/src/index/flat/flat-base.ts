import type { Device } from '../../compute/device.js';
import type { KernelBackend } from '../../compute/wasm/backend.js';
import { IndexError } from '../../errors.js';
import { gpuFlatSearch, MAX_GPU_CANDIDATES } from '../gpu/gpu-flat-search.js';
import type { MetadataFilter } from '../filter.js';
import { createKernelSet, type KernelSet } from '../kernel-set.js';
import type { VectorMetadata, MetadataSnapshot } from '../metadata-store.js';
import type { SectionArray } from '../persist/index-format.js';
import { checkDim, checkK, checkMetric, checkRows, checkVector, kernelQuery, storedVector } from '../metric.js';
import { PANEL } from '../simd/flat-scan-kernels.js';
import { SlotTable, type SlotReader } from '../slot-table.js';
import { ScanSink } from '../threads/scan-sink.js';
import type { ScanPool } from '../threads/scan-pool.js';
import { SearchQueue } from '../threads/search-queue.js';
import { TopKCollector } from '../top-k-collector.js';
import { GpuResidentRows } from './gpu-resident-rows.js';
import type { FlatIndexOptions } from './flat-index-options.js';
import { exactScoring, SPLIT_ROWS_FROM, startParallelScan } from './parallel-scan.js';
import { probeSeeds } from './probe-seeds.js';
import { executeScan, sliceBytes, type ScanPlan } from './scan-plan.js';
import type { IndexKind, MemoryEstimate, VectorMetric, SearchHit, SearchOptions, VectorIndex } from '../types.js';

/**
 * What the three flat indexes share: dense slots (a delete moves the last vector into the hole, so
 * scans never skip) in a SlotTable (ids, metadata, filters, exact rescoring), filters turned into a
 * −∞ bias on failing slots, and the search flow — prepare queries, scan panels into a top-k
 * collector, score the kept candidates exactly. Subclasses own the vector layout and the scan.
 */
export abstract class FlatIndexBase implements VectorIndex {
  abstract readonly kind: IndexKind;
  readonly dim: number;
  readonly metric: VectorMetric;
  protected readonly set: KernelSet;
  protected readonly collector = new TopKCollector();
  /** The host side of this thread's scans; its collector is `collector` except while probing. */
  protected readonly sink = new ScanSink();
  readonly pool: ScanPool | undefined;
  /** Set while a parallel search runs: the memory must not change under the workers. */
  #busy = false;
  readonly #queue = new SearchQueue();
  readonly #splitRowsFrom: number;
  protected count = 0;
  protected capacity = 0;
  readonly #table: SlotTable;
  /** read() as the slot table's reader. */
  readonly #read: SlotReader = (slot, out) => this.read(slot, out);
  /** Bumped by every change of the vectors, so a GPU copy knows when it is stale. */
  #version = 0;
  readonly #gpuRows = new GpuResidentRows();

  protected constructor(options: FlatIndexOptions, set: KernelSet) {
    this.dim = options.dim;
    this.metric = options.metric;
    this.set = set;
    this.#table = new SlotTable(options.dim, options.metric);
    this.pool = options.pool;
    this.#splitRowsFrom = options.splitRowsFrom ?? SPLIT_ROWS_FROM;
    set.memory.declare(...this.dataRegions(), 'bias', 'maskedBias', 'queries', 'queryTails', 'thresholds', 'scales', 'scratch', 'workers');
    set.memory.resize('scratch', 64);
  }

  protected static async kernels(options: FlatIndexOptions, self: { onInsert: (query: number, panel: number) => number }): Promise<KernelSet> {
    checkDim(options.dim);
    checkMetric(options.metric);
    return createKernelSet(options.dim, (query, panel) => self.onInsert(query, panel), options.backend, (options.pool?.threads ?? 1) > 1);
  }

  get backend(): KernelBackend {
    return this.set.backend;
  }

  get size(): number {
    return this.count;
  }

  // ---- layout hooks -------------------------------------------------------------------------

  /** Regions holding vectors, in layout order (declared before bias and the scratch regions). */
  protected abstract dataRegions(): string[];
  /** Resizes the data regions for `capacity` slots (a multiple of PANEL), keeping their contents. */
  protected abstract growData(capacity: number): void;
  /** Stores a (metric-prepared) vector in a slot; returns the kernel bias of the slot. */
  protected abstract write(slot: number, stored: Float32Array): number;
  protected abstract copySlot(from: number, to: number): void;
  /** The vector a slot holds as exact scoring sees it. */
  protected abstract read(slot: number, out: Float32Array): Float32Array;
  /** Where the scan of `m` prepared queries in the 'queries' region reads; must not resize memory. */
  protected abstract scanPlan(m: number, biasRegion: string): ScanPlan;
  /** The f16 decode block of the calling thread (0 for kinds that decode nothing). */
  protected decodeBlock(): number {
    return 0;
  }
  /** Candidates kept per query before exact scoring (quantized kinds keep more). */
  protected poolSize(k: number): number {
    return k;
  }
  /** Bytes of full-precision vectors and of codes, for memory(). */
  protected abstract dataBytes(): { vectors: number; codes: number };

  // ---- the host side of the kernels -----------------------------------------------------------

  onInsert(query: number, panel: number): number {
    return this.sink.insert(query, panel);
  }

  /**
   * Resets the collector for a scan and, when `seed`, seeds every query's threshold by a probe
   * (probeSeeds; otherwise the thresholds stay −∞ for the threads that scan the queries to seed);
   * returns the plan and this thread's slice area.
   */
  #prepareScan(m: number, pool: number, biasRegion: string, seed: boolean): { plan: ScanPlan; local: { thresholds: number; scratch: number; decoded: number } } {
    const sink = this.sink;
    const memory = this.set.memory;
    sink.count = this.count;
    sink.scores = memory.f32('scratch', PANEL);
    if (sink.seeds.length < m) sink.seeds = new Float32Array(m);
    sink.seeds.fill(-Infinity, 0, m);
    this.collector.reset(m, pool);
    sink.collector = this.collector;
    const plan = this.scanPlan(m, biasRegion);
    const local = { thresholds: memory.ptr('thresholds'), scratch: memory.ptr('scratch'), decoded: this.decodeBlock() };
    const thresholds = memory.f32('thresholds', m);
    if (seed) probeSeeds(this.set.kernels, plan, sink, { firstPanel: 0, panels: this.#panels, firstQuery: 0, queries: m, ...local }, this.#panels, pool, thresholds);
    else thresholds.fill(-Infinity);
    return { plan, local };
  }

  get #panels(): number {
    return Math.ceil(this.count / PANEL);
  }

  // ---- mutation -------------------------------------------------------------------------------

  /** Refuses a change or a search while a parallel search has the memory. */
  #checkIdle(): void {
    if (this.#busy) throw new IndexError('INDEX_INVALID_ARGUMENT', `the ${this.kind} index is busy with a parallel search; await it before changing or searching the index`);
  }

  add(id: number, vector: ArrayLike<number>, metadata?: VectorMetadata): void {
    this.addBatch([id], vector, metadata === undefined ? undefined : [metadata]);
  }

  addBatch(ids: ArrayLike<number>, vectors: ArrayLike<number>, metadata?: readonly (VectorMetadata | undefined)[]): void {
    this.#checkIdle();
    const rows = this.#table.checkAdd(ids, vectors, metadata);
    this.beforeAdd(vectors, rows);
    this.#reserve(this.count + rows);
    const stored = new Float32Array(this.dim);
    const bias = this.set.memory.f32('bias'); // write() never moves the memory
    const order = this.insertionOrder(vectors, rows);
    for (let i = 0; i < rows; i++) {
      const r = order ? order[i]! : i;
      const slot = this.count++;
      storedVector(this.metric, vectors, r * this.dim, this.dim, stored);
      bias[slot] = this.write(slot, stored);
      this.#table.assign(slot, ids[r]!, metadata?.[r]);
    }
    this.#version++;
  }

  /** The order in which a batch's rows take slots (null: as given). */
  protected insertionOrder(_vectors: ArrayLike<number>, _rows: number): Int32Array | null {
    return null;
  }

  /** Lets a kind look at incoming vectors first (the int8 index widens its ranges). */
  protected beforeAdd(_vectors: ArrayLike<number>, _rows: number): void {}

  update(id: number, vector: ArrayLike<number>, metadata?: VectorMetadata): void {
    this.#checkIdle();
    const slot = this.#table.checkUpdate(id, vector, metadata);
    this.beforeAdd(vector, 1);
    const stored = storedVector(this.metric, vector, 0, this.dim);
    this.set.memory.f32('bias')[slot] = this.write(slot, stored);
    if (metadata !== undefined) this.#table.metadata.set(slot, metadata);
    this.#version++;
  }

  delete(id: number): boolean {
    this.#checkIdle();
    const slot = this.#table.find(id);
    if (slot === undefined) return false;
    const last = this.count - 1;
    this.forget(slot);
    this.#table.release(id);
    if (slot !== last) {
      this.copySlot(last, slot);
      const bias = this.set.memory.f32('bias');
      bias[slot] = bias[last]!;
      this.#table.move(last, slot);
    }
    this.set.memory.f32('bias')[last] = -Infinity;
    this.count = last;
    this.afterDelete(last);
    this.#version++;
    return true;
  }

  /** Lets a kind account for a vector about to be deleted. */
  protected forget(_slot: number): void {}
  /** Lets a kind clear the vacated last slot (its vector was moved or deleted). */
  protected afterDelete(_vacated: number): void {}

  has(id: number): boolean {
    return this.#table.has(id);
  }

  getVector(id: number): Float32Array {
    return this.read(this.#table.slot(id), new Float32Array(this.dim));
  }

  getMetadata(id: number): VectorMetadata | undefined {
    return this.#table.getMetadata(id);
  }

  ids(): Int32Array {
    return this.#table.ids(this.count);
  }

  #reserve(needed: number): void {
    if (needed <= this.capacity) return;
    const capacity = Math.ceil(Math.max(needed, this.capacity * 2, 64) / PANEL) * PANEL;
    this.#table.reserve(capacity);
    this.growData(capacity);
    this.set.memory.resize('bias', capacity * 4);
    this.set.memory.f32('bias').fill(-Infinity, this.count);
    this.capacity = capacity;
  }

  // ---- search ---------------------------------------------------------------------------------

  search(query: ArrayLike<number>, options: SearchOptions): SearchHit[] {
    checkVector(query, this.dim, 'query');
    return this.#searchOn(query, 1, options)[0]!;
  }

  searchBatch(queries: ArrayLike<number>, options: SearchOptions): SearchHit[][] {
    const m = checkRows(queries, this.dim, 'queries');
    return this.#searchOn(queries, m, options);
  }

  /**
   * search() on the pool's threads: the index's rows split between them, each keeping its own
   * top candidates, merged by (key, slot) — the same hits, ids and scores as search(). Without a
   * pool of more than one thread (or with the reference kernels) it is search().
   */
  async searchParallel(query: ArrayLike<number>, options: SearchOptions): Promise<SearchHit[]> {
    checkVector(query, this.dim, 'query');
    return (await this.#queue.run(() => this.#searchParallel(query, 1, options)))[0]!;
  }

  /** searchBatch() on the pool's threads: the queries split between them; the same hits as searchBatch(). */
  searchBatchParallel(queries: ArrayLike<number>, options: SearchOptions): Promise<SearchHit[][]> {
    const m = checkRows(queries, this.dim, 'queries');
    return this.#queue.run(() => this.#searchParallel(queries, m, options));
  }

  /** Threads a parallel search would use. */
  get threads(): number {
    return this.set.memory.wasm && this.pool ? this.pool.threads : 1;
  }

  #searchOn(queries: ArrayLike<number>, m: number, options: SearchOptions): SearchHit[][] {
    const begun = this.#begin(queries, m, options);
    if (Array.isArray(begun)) return begun;
    const { plan, local } = this.#prepareScan(m, begun.pool, begun.biasRegion, true);
    executeScan(this.set.kernels, plan, { firstPanel: 0, panels: this.#panels, firstQuery: 0, queries: m, ...local });
    const results: SearchHit[][] = new Array(m);
    this.#finish(results, queries, 0, m, begun.k);
    return results;
  }

  /**
   * Fewer queries than threads split the index's rows, which pays only past a size (see
   * splitRowsFrom); below it the search runs on the calling thread. A batch splits its queries:
   * each thread seeds and scans its own, and this thread rescores its share while the workers scan.
   */
  async #searchParallel(queries: ArrayLike<number>, m: number, options: SearchOptions): Promise<SearchHit[][]> {
    const splitQueries = m >= this.threads;
    if (this.threads < 2 || (!splitQueries && this.count * this.dim < this.#splitRowsFrom)) return this.#searchOn(queries, m, options);
    const begun = this.#begin(queries, m, options);
    if (Array.isArray(begun)) return begun;
    const { plan, local } = this.#prepareScan(m, begun.pool, begun.biasRegion, !splitQueries);
    const results: SearchHit[][] = new Array(m);
    this.#busy = true;
    try {
      const exact = exactScoring(plan, this.metric, m, this.threads);
      const scan = startParallelScan({ memory: this.set.memory, kernels: this.set.kernels, stages: this.set.stages, pool: this.pool!, sink: this.sink, plan, panels: this.#panels, m, keep: begun.pool, local, count: this.count, exact });
      const { firstQuery, queries: settled } = scan.settled;
      this.#finish(results, queries, firstQuery, settled, begun.k);
      // Queries the workers scored exactly need only their order; the others are rescored here.
      for (const share of await scan.merged) {
        for (let q = 0; q < share.queries; q++) results[share.firstQuery + q] = this.#table.scoredHits(share.slots, share.scores, share.offsets[q]!, share.offsets[q + 1]!).slice(0, begun.k);
      }
      for (let q = 0; q < m; q++) if (results[q] === undefined) this.#finish(results, queries, q, 1, begun.k);
    } finally {
      this.#busy = false;
    }
    return results;
  }

  /** Checks the options, masks the filter and prepares the queries; the answer itself when there is nothing to scan. */
  #begin(queries: ArrayLike<number>, m: number, options: SearchOptions): SearchHit[][] | { k: number; pool: number; biasRegion: string } {
    this.#checkIdle();
    if (options === null || typeof options !== 'object') throw new IndexError('INDEX_INVALID_ARGUMENT', 'search options must be an object with k (and optionally filter)');
    checkK(options.k);
    const biasRegion = options.filter === undefined ? 'bias' : this.#maskedBias(options.filter);
    if (m === 0 || this.count === 0) return Array.from({ length: m }, () => []);
    const k = Math.min(options.k, this.count);
    const pool = Math.min(this.count, Math.max(k, this.poolSize(k)));
    const memory = this.set.memory;
    memory.reserve('queries', m * this.dim * 4);
    memory.reserve('thresholds', m * 4);
    if (this.threads > 1) memory.reserve('workers', (this.threads - 1) * sliceBytes(this.dim, m, this.decodeBlock() !== 0));
    const prepared = memory.f32('queries', m * this.dim);
    for (let q = 0; q < m; q++) kernelQuery(this.metric, queries, q * this.dim, this.dim, prepared.subarray(q * this.dim, (q + 1) * this.dim));
    this.prepareQueries(m);
    return { k, pool, biasRegion };
  }

  /** Scores the kept candidates of queries [first, first + count) exactly, into `results`. */
  #finish(results: SearchHit[][], queries: ArrayLike<number>, first: number, count: number, k: number): void {
    const q = new Float32Array(this.dim);
    for (let i = first; i < first + count; i++) {
      storedVector(this.metric, queries, i * this.dim, this.dim, q);
      results[i] = this.#table.rescore(q, this.collector.sorted(i).slots, this.#read).slice(0, k);
    }
  }

  /** Per-kind query preparation after the f32 queries are in place (quantized query codes, tail norms). */
  protected prepareQueries(_m: number): void {}

  matcher(filter: MetadataFilter): (id: number) => boolean {
    return this.#table.matcher(filter);
  }

  score(query: ArrayLike<number>, ids: ArrayLike<number>): Float64Array {
    return this.#table.score(query, ids, this.#read);
  }

  /** A copy of the bias with −∞ where the filter fails: the scans then never count those slots. */
  #maskedBias(filter: MetadataFilter): string {
    const compiled = this.#table.filter(filter);
    const memory = this.set.memory;
    memory.reserve('maskedBias', this.capacity * 4);
    const mask = new Uint8Array(this.count);
    compiled.fillMask(mask, this.count);
    const masked = memory.f32('maskedBias', this.capacity);
    masked.set(memory.f32('bias', this.capacity));
    for (let s = 0; s < this.count; s++) if (mask[s] === 0) masked[s] = -Infinity;
    return 'maskedBias';
  }

  /** The vector a slot's scan sees (the quantized kinds override: dequantized codes). */
  protected scanVector(slot: number, out: Float32Array): Float32Array {
    return this.read(slot, out);
  }

  /**
   * searchBatch with the scan on a Device: on WebGPU the slots' scan vectors stay resident on the
   * GPU (uploaded again after a change; the int8 index keeps its codes there), one fused
   * `flat-top-k` pass (two passes past 64) keeps each query's candidate pool, and the pool is
   * scored exactly here as on the CPU path. A CPU device runs
   * the CPU path. Candidate pools are capped at 256 per query.
   */
  async searchBatchOn(device: Device, queries: ArrayLike<number>, options: SearchOptions): Promise<SearchHit[][]> {
    if (device.backend !== 'webgpu') return this.searchBatch(queries, options);
    const m = checkRows(queries, this.dim, 'queries');
    if (options === null || typeof options !== 'object') throw new IndexError('INDEX_INVALID_ARGUMENT', 'search options must be an object with k (and optionally filter)');
    checkK(options.k);
    const mask = new Uint8Array(this.count).fill(1);
    if (options.filter !== undefined) this.#table.filter(options.filter).fillMask(mask, this.count);
    if (m === 0 || this.count === 0) return Array.from({ length: m }, () => []);
    const k = Math.min(options.k, this.count);
    const pool = Math.min(this.count, Math.max(k, this.poolSize(k)), MAX_GPU_CANDIDATES);
    const stored = new Float32Array(m * this.dim);
    for (let q = 0; q < m; q++) storedVector(this.metric, queries, q * this.dim, this.dim, stored.subarray(q * this.dim, (q + 1) * this.dim));
    const indices = await this.gpuCandidates(device, this.#version, queries, stored, mask, pool);
    const results: SearchHit[][] = [];
    for (let q = 0; q < m; q++) {
      const query = stored.subarray(q * this.dim, (q + 1) * this.dim);
      results.push(this.#table.rescore(query, indices.subarray(q * pool, (q + 1) * pool), this.#read).slice(0, k));
    }
    return results;
  }

  /** The `pool` best slots per query of a GPU scan of index `version` (−1 past the candidates); the int8 index scans its codes. */
  protected async gpuCandidates(device: Device, version: number, _queries: ArrayLike<number>, stored: Float32Array, mask: Uint8Array, pool: number): Promise<Int32Array> {
    const rows = this.#gpuRows.get(device, version, this.count, this.dim, (slot, out) => this.scanVector(slot, out));
    return (await gpuFlatSearch(device, rows, stored, mask, { metric: this.metric, k: pool })).indices;
  }

  /** Frees the GPU copy of the vectors, if any. */
  releaseDevice(): void {
    this.#gpuRows.release();
  }

  memory(): MemoryEstimate {
    const { vectors, codes } = this.dataBytes();
    const memory = this.set.memory;
    const scratch = memory.bytesOf((name) => ['maskedBias', 'queries', 'queryTails', 'thresholds', 'scales', 'scratch'].includes(name)) + this.scratchBytes();
    const ids = this.#table.idBytes();
    const biasBytes = memory.size('bias');
    const metadata = this.#table.metadata.bytes();
    return { total: vectors + codes + biasBytes + ids + metadata + scratch, vectors, codes: codes + biasBytes, graph: 0, ids, metadata, scratch };
  }

  /** Scratch a kind holds outside the named scratch regions (decode blocks). */
  protected scratchBytes(): number {
    return 0;
  }

  // ---- persistence ----------------------------------------------------------------------------

  /** The arrays and parameters this kind persists besides ids and metadata (vectors in slot order). */
  abstract persistedState(): { params: Record<string, unknown>; sections: Record<string, SectionArray> };

  /** Writes slot `slot` from persisted sections; returns its kernel bias. */
  protected abstract restoreSlot(slot: number, sections: Readonly<Record<string, SectionArray>>): number;

  /** Checks persisted sections against the slot count (and takes any state they carry) before a slot is written. */
  protected abstract beginRestore(rows: number, sections: Readonly<Record<string, SectionArray>>, params: Readonly<Record<string, unknown>>): void;

  /** Slot-ordered ids and metadata, as persisted by every flat kind. */
  persistedBase(): { ids: Int32Array; metadata: MetadataSnapshot } {
    return this.#table.snapshot(this.count);
  }

  /** Fills a fresh index from persisted state. */
  restore(ids: Int32Array, metadata: MetadataSnapshot, sections: Readonly<Record<string, SectionArray>>, params: Readonly<Record<string, unknown>>): void {
    if (this.count !== 0) throw new IndexError('INDEX_INVALID_ARGUMENT', 'restore() needs an empty index');
    const rows = ids.length;
    this.beginRestore(rows, sections, params);
    this.#reserve(rows);
    this.#table.restore(ids, metadata, (id) => new IndexError('INDEX_CORRUPT', `stored index repeats or has an invalid id ${id}`));
    for (let slot = 0; slot < rows; slot++) {
      this.count = slot + 1;
      this.set.memory.f32('bias')[slot] = this.restoreSlot(slot, sections);
    }
    this.#version++;
  }
}
