import { IndexError } from '../errors.js';
import { compileFilter, type CompiledFilter, type MetadataFilter } from './filter.js';
import { MetadataStore, type MetadataSnapshot, type VectorMetadata } from './metadata-store.js';
import { checkId, checkRows, checkVector, sortHits, storedVector } from './metric.js';
import type { SearchHit, VectorMetric } from './types.js';

/**
 * The full-precision vector of a slot as exact scoring sees it, copied into `out` (flat kinds read
 * it out of their panels) or as a view of `dim` values (HNSW's rows).
 */
export type SlotReader = (slot: number, out: Float32Array) => Float32Array;

/**
 * What every index kind keeps beside its vectors, by slot (a flat index's dense position, an HNSW
 * node): the slot → id array and the id → slot map, the metadata columns, filters bound to them,
 * and the exact float64 rescoring of kept candidates. The kinds differ only in how slots are
 * reused: the flat kinds move the last slot into a deleted one (`move`), HNSW leaves a tombstone
 * (the slot keeps its id but the map no longer points to it).
 */
export class SlotTable {
  readonly dim: number;
  readonly metric: VectorMetric;
  #ids = new Int32Array(0);
  readonly #slotOf = new Map<number, number>();
  #metadata = new MetadataStore();
  /** A row buffer for readers that copy (one search at a time uses it). */
  readonly #row: Float32Array;

  constructor(dim: number, metric: VectorMetric) {
    this.dim = dim;
    this.metric = metric;
    this.#row = new Float32Array(dim);
  }

  /** Live ids. */
  get size(): number {
    return this.#slotOf.size;
  }

  get metadata(): MetadataStore {
    return this.#metadata;
  }

  /** Grows the slot arrays to `capacity` slots, keeping their contents. */
  reserve(capacity: number): void {
    if (capacity <= this.#ids.length) return;
    const ids = new Int32Array(capacity);
    ids.set(this.#ids);
    this.#ids = ids;
    this.#metadata.reserve(capacity);
  }

  /**
   * Everything `addBatch` checks before an index changes, so a refused batch leaves it untouched:
   * row count, ids (valid, new, not repeated) and metadata. Returns the number of rows.
   */
  checkAdd(ids: ArrayLike<number>, vectors: ArrayLike<number>, metadata: readonly (VectorMetadata | undefined)[] | undefined): number {
    const rows = checkRows(vectors, this.dim, 'vectors');
    if (rows !== ids.length) throw new IndexError('INDEX_INVALID_ARGUMENT', `${ids.length} ids for ${rows} vectors`);
    if (metadata !== undefined && metadata.length !== rows) throw new IndexError('INDEX_INVALID_ARGUMENT', `${metadata.length} metadata entries for ${rows} vectors`);
    const seen = new Set<number>();
    for (let r = 0; r < rows; r++) {
      const id = ids[r]!;
      checkId(id);
      if (this.#slotOf.has(id) || seen.has(id)) throw new IndexError('INDEX_DUPLICATE_ID', `id ${id} is already in the index; use update() to replace its vector`);
      seen.add(id);
      this.#metadata.validate(metadata?.[r]);
    }
    return rows;
  }

  /** Checks an update's vector and metadata; returns the slot of `id`. */
  checkUpdate(id: number, vector: ArrayLike<number>, metadata: VectorMetadata | undefined): number {
    const slot = this.slot(id);
    checkVector(vector, this.dim, 'vector');
    this.#metadata.validate(metadata);
    return slot;
  }

  /** Puts `id` (and its metadata) in a reserved slot. */
  assign(slot: number, id: number, metadata: VectorMetadata | undefined): void {
    this.#ids[slot] = id;
    this.#slotOf.set(id, slot);
    this.#metadata.set(slot, metadata);
  }

  has(id: number): boolean {
    return this.#slotOf.has(id);
  }

  /** The slot of a live id, or undefined. */
  find(id: number): number | undefined {
    return this.#slotOf.get(id);
  }

  /** The slot of a live id; throws IndexError('INDEX_ID_NOT_FOUND') otherwise. */
  slot(id: number): number {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) throw new IndexError('INDEX_ID_NOT_FOUND', `id ${id} is not in the index`);
    return slot;
  }

  /** The id a slot holds (a tombstone keeps the id it had). */
  idAt(slot: number): number {
    return this.#ids[slot]!;
  }

  getMetadata(id: number): VectorMetadata | undefined {
    return this.#metadata.get(this.slot(id));
  }

  /** Drops a live id and its metadata; returns the slot it had (undefined when it was not there). */
  release(id: number): number | undefined {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return undefined;
    this.#slotOf.delete(id);
    this.#metadata.clear(slot);
    return slot;
  }

  /** Moves slot `from`'s id and metadata into slot `to` (a vacated one), leaving `from` empty. */
  move(from: number, to: number): void {
    const id = this.#ids[from]!;
    this.#ids[to] = id;
    this.#slotOf.set(id, to);
    this.#metadata.move(from, to);
    this.#metadata.clear(from);
  }

  /** Live ids of the first `slots` slots, in slot order. */
  ids(slots: number): Int32Array {
    if (this.#slotOf.size === slots) return this.#ids.slice(0, slots);
    const out = new Int32Array(this.#slotOf.size);
    let n = 0;
    for (let slot = 0; slot < slots; slot++) if (this.#slotOf.get(this.#ids[slot]!) === slot) out[n++] = this.#ids[slot]!;
    return out;
  }

  /** A filter bound to the metadata columns (throws IndexError('INDEX_INVALID_FILTER') on a bad filter). */
  filter(filter: MetadataFilter): CompiledFilter {
    return compileFilter(filter, this.#metadata);
  }

  /** A predicate on ids with the search's semantics: false for ids not in the index. */
  matcher(filter: MetadataFilter): (id: number) => boolean {
    const compiled = this.filter(filter);
    return (id) => {
      const slot = this.#slotOf.get(id);
      return slot !== undefined && compiled.test(slot);
    };
  }

  /** Exact float64 score of the metric-prepared query `q` (unit for cosine): similarity, or squared distance for l2. */
  exact(q: Float32Array, x: Float32Array): number {
    let sum = 0;
    if (this.metric === 'l2') {
      for (let j = 0; j < this.dim; j++) {
        const diff = q[j]! - x[j]!;
        sum += diff * diff;
      }
      return sum;
    }
    for (let j = 0; j < this.dim; j++) sum += q[j]! * x[j]!;
    return sum;
  }

  /** Candidate slots (negative ones skipped) scored exactly against `q`, best first. */
  rescore(q: Float32Array, slots: ArrayLike<number>, read: SlotReader): SearchHit[] {
    const hits: SearchHit[] = [];
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot >= 0) hits.push({ id: this.#ids[slot]!, score: this.exact(q, read(slot, this.#row)) });
    }
    return sortHits(this.metric, hits);
  }

  /** rescore() for slots whose exact scores were computed elsewhere (a worker thread), as rescore() would compute them. */
  scoredHits(slots: Int32Array, scores: Float64Array, from: number, to: number): SearchHit[] {
    const hits: SearchHit[] = [];
    for (let i = from; i < to; i++) hits.push({ id: this.#ids[slots[i]!]!, score: scores[i]! });
    return sortHits(this.metric, hits);
  }

  /** `VectorIndex.score`: exact scores of ids against a raw query, NaN for ids not in the index. */
  score(query: ArrayLike<number>, ids: ArrayLike<number>, read: SlotReader): Float64Array {
    checkVector(query, this.dim, 'query');
    const q = storedVector(this.metric, query, 0, this.dim);
    return Float64Array.from({ length: ids.length }, (_, i) => {
      const slot = this.#slotOf.get(ids[i]!);
      return slot === undefined ? NaN : this.exact(q, read(slot, this.#row));
    });
  }

  /** Bytes of the ids and the id map (a Map entry costs about three words plus its share of the table). */
  idBytes(): number {
    return this.#ids.byteLength + this.#slotOf.size * 28;
  }

  /** The first `slots` slots' ids and metadata, as persisted. */
  snapshot(slots: number): { ids: Int32Array; metadata: MetadataSnapshot } {
    return { ids: this.#ids.slice(0, slots), metadata: this.#metadata.snapshot(slots) };
  }

  /**
   * Fills an empty table from persisted ids and metadata. Slots that `live` refuses are
   * tombstones (they keep their id, unmapped); a repeated or negative live id throws `invalid(id)`.
   */
  restore(ids: Int32Array, metadata: MetadataSnapshot, invalid: (id: number) => IndexError, live: (slot: number) => boolean = () => true): void {
    this.reserve(ids.length);
    const store = MetadataStore.fromSnapshot(metadata, ids.length, this.#ids.length);
    this.#ids.set(ids);
    for (let slot = 0; slot < ids.length; slot++) {
      if (!live(slot)) continue;
      const id = ids[slot]!;
      if (id < 0 || this.#slotOf.has(id)) throw invalid(id);
      this.#slotOf.set(id, slot);
    }
    this.#metadata = store;
  }
}
