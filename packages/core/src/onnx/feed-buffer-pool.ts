/**
 * Float32 feed buffers kept from one run to the next. A server's model takes a steady stream of
 * same-sized batches (a 224² RGB image is a 600 KB feed); allocating each afresh makes V8 count
 * the memory outside its heap and run a full mark-compact every dozen or so requests, a pause that
 * lands on some request's latency. Kept buffers are allocated once.
 *
 * Sessions give a run's feed buffers back once the run no longer needs them (see
 * OnnxRunOptions.feedPool); the pool's owner takes them for the next feeds, which it fills whole.
 */
export class FeedBufferPool {
  /** Free buffers by length, in the order sizes were last used (the oldest size goes first). */
  readonly #free = new Map<number, Float32Array[]>();
  readonly #perSize: number;
  readonly #sizes: number;

  /** Keeps up to `perSize` free buffers of each of the `sizes` lengths used last. */
  constructor({ perSize = 2, sizes = 8 }: { perSize?: number; sizes?: number } = {}) {
    this.#perSize = perSize;
    this.#sizes = sizes;
  }

  /** A buffer of `length` values: a kept one if free (its old values still in it), else a new one. */
  take(length: number): Float32Array {
    const free = this.#free.get(length);
    return free?.pop() ?? new Float32Array(length);
  }

  /** Keeps `data` for a later take; a buffer moved to another thread (detached) or a view into a larger one is dropped. */
  give(data: unknown): void {
    if (!(data instanceof Float32Array) || data.length === 0 || data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength) return;
    const free = this.#free.get(data.length) ?? [];
    this.#free.delete(data.length);
    this.#free.set(data.length, free);
    if (free.length < this.#perSize && !free.includes(data)) free.push(data);
    if (this.#free.size > this.#sizes) this.#free.delete(this.#free.keys().next().value!);
  }

  /** The free buffers kept now (for tests). */
  get kept(): number {
    let count = 0;
    for (const free of this.#free.values()) count += free.length;
    return count;
  }
}
