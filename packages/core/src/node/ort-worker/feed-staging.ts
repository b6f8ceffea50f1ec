import type { OnnxElementType, OnnxTensor } from '../../onnx/onnx-tensor.js';

/** A feed as the ONNX Runtime thread finds it in a staging area: where its bytes lie, and its tensor's type and dims. */
export interface StagedFeed {
  readonly name: string;
  readonly type: OnnxElementType;
  readonly dims: readonly number[];
  readonly byteOffset: number;
  readonly byteLength: number;
}

/** A run's feeds in an area: its id, its memory when the thread has not seen it yet, and where each feed lies. */
export interface StagedRun {
  readonly area: number;
  readonly newMemory: SharedArrayBuffer | undefined;
  readonly feeds: readonly StagedFeed[];
  /** The thread has read the area (its answer came): the next run may fill it. */
  release(): void;
}

/** Feeds start at multiples of 8 bytes, so every element type's view is aligned. */
const ALIGN = 8;

/**
 * Shared memory that a run's feeds are copied into before the run is posted to the ONNX Runtime
 * thread. Moving or cloning a feed's ArrayBuffer instead makes a new buffer in both threads on every
 * run, and V8 counts each one's memory against its heap: a server posting a 600 KB feed per request
 * then runs a full mark-compact in each thread every few dozen requests, pauses that land on request
 * latencies. An area is allocated once, sent to the thread once, and filled again by later runs.
 *
 * One area per run in flight: a run takes a free area (a bigger one replaces it when its feeds do
 * not fit) and gives it back when the thread has answered. An area keeps the size of the largest
 * run it held (a server's largest batch), for the life of the thread.
 */
export class FeedStaging {
  readonly #areas: { memory: SharedArrayBuffer; busy: boolean }[] = [];

  stage(feeds: Record<string, OnnxTensor>): StagedRun {
    const layout: StagedFeed[] = [];
    let bytes = 0;
    for (const [name, { type, dims, data }] of Object.entries(feeds)) {
      layout.push({ name, type, dims: [...dims], byteOffset: bytes, byteLength: data.byteLength });
      bytes += Math.ceil(data.byteLength / ALIGN) * ALIGN;
    }
    let area = this.#areas.findIndex((a) => !a.busy && a.memory.byteLength >= bytes);
    let newMemory: SharedArrayBuffer | undefined;
    if (area < 0) {
      // Replace a free area too small for these feeds, or open one more.
      area = this.#areas.findIndex((a) => !a.busy);
      if (area < 0) area = this.#areas.length;
      newMemory = new SharedArrayBuffer(Math.max(bytes, 1));
      this.#areas[area] = { memory: newMemory, busy: false };
    }
    const taken = this.#areas[area]!;
    taken.busy = true;
    for (const feed of layout) {
      const { data } = feeds[feed.name]!;
      new Uint8Array(taken.memory, feed.byteOffset, feed.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    return { area, newMemory, feeds: layout, release: () => (taken.busy = false) };
  }
}

const arrayTypes = { float32: Float32Array, int64: BigInt64Array, int32: Int32Array, int8: Int8Array, uint8: Uint8Array, bool: Uint8Array };

/**
 * The thread's side: the areas it was sent, and its own arrays that it copies each run's feeds
 * into (onnxruntime-node takes no views of shared memory). The arrays are kept per area and feed,
 * so a steady stream of same-sized runs allocates nothing.
 */
export class StagedFeedReader {
  readonly #areas = new Map<number, { memory: SharedArrayBuffer; kept: Map<string, OnnxTensor['data']> }>();

  read(run: Pick<StagedRun, 'area' | 'newMemory' | 'feeds'>): Record<string, OnnxTensor> {
    if (run.newMemory) this.#areas.set(run.area, { memory: run.newMemory, kept: new Map() });
    const area = this.#areas.get(run.area);
    if (!area) throw new Error(`feed staging area ${run.area} was never sent to this thread`);
    const tensors: Record<string, OnnxTensor> = {};
    for (const { name, type, dims, byteOffset, byteLength } of run.feeds) {
      const key = `${name}:${type}:${byteLength}`;
      let data = area.kept.get(key);
      if (!data) {
        // Sizes seen once (a batch of an unusual size) are not kept for ever.
        if (area.kept.size >= 8) area.kept.clear();
        data = new arrayTypes[type](byteLength / arrayTypes[type].BYTES_PER_ELEMENT);
        area.kept.set(key, data);
      }
      new Uint8Array(data.buffer, data.byteOffset, byteLength).set(new Uint8Array(area.memory, byteOffset, byteLength));
      tensors[name] = { type, dims, data } as OnnxTensor;
    }
    return tensors;
  }
}
