/** Slots of the shared state before the node locks. */
const ENTRY = 0;
const MAX_LEVEL = 1;
/** The next node a thread of a parallel build takes. */
const NEXT = 2;
/** Guards raising the entry point. */
const ENTRY_LOCK = 3;
/** Ints of shared state before the per-node locks. */
export const GRAPH_STATE_INTS = 4;

/**
 * What the threads of a parallel HNSW build share, as i32s in the index's shared memory: the
 * entry point and top level, the next node to insert, and one lock per node guarding its link
 * lists while a neighbour is linked to it. Locks are futex-style mutexes (0 free, 1 held, 2 held
 * with waiters; Drepper, "Futexes are tricky"): a thread that finds one held sleeps in
 * Atomics.wait instead of spinning on a shared, loaded machine. Node's threads (its main thread
 * included) and Web Workers may block so; a browser page's main thread may not.
 */
export class GraphLocks {
  readonly #state: Int32Array;

  /** `state`: GRAPH_STATE_INTS ints, then one per node. */
  constructor(state: Int32Array) {
    this.#state = state;
  }

  /** Sets the entry point and the next node to insert (before the threads start). */
  reset(entry: number, maxLevel: number, next: number): void {
    this.#state.fill(0);
    this.#state[ENTRY] = entry;
    this.#state[MAX_LEVEL] = maxLevel;
    this.#state[NEXT] = next;
  }

  maxLevel(): number {
    return Atomics.load(this.#state, MAX_LEVEL);
  }

  /** The entry point; read after maxLevel(), it has at least that level (raise writes it first). */
  entry(): number {
    return Atomics.load(this.#state, ENTRY);
  }

  /** Makes `node` the entry point if its level is above the top one. */
  raise(node: number, level: number): void {
    this.#acquire(ENTRY_LOCK);
    if (level > Atomics.load(this.#state, MAX_LEVEL)) {
      Atomics.store(this.#state, ENTRY, node);
      Atomics.store(this.#state, MAX_LEVEL, level);
    }
    this.#release(ENTRY_LOCK);
  }

  /** Takes the next node to insert (every thread draws from one counter). */
  next(): number {
    return Atomics.add(this.#state, NEXT, 1);
  }

  lock(node: number): void {
    this.#acquire(GRAPH_STATE_INTS + node);
  }

  unlock(node: number): void {
    this.#release(GRAPH_STATE_INTS + node);
  }

  #acquire(at: number): void {
    const state = this.#state;
    let c = Atomics.compareExchange(state, at, 0, 1);
    if (c === 0) return;
    if (c !== 2) c = Atomics.exchange(state, at, 2);
    while (c !== 0) {
      Atomics.wait(state, at, 2);
      c = Atomics.exchange(state, at, 2);
    }
  }

  #release(at: number): void {
    if (Atomics.sub(this.#state, at, 1) !== 1) {
      Atomics.store(this.#state, at, 0);
      Atomics.notify(this.#state, at, 1);
    }
  }
}
