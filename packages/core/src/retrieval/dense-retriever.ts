import type { Device } from '../compute/device.js';
import { IndexError } from '../errors.js';
import { FlatIndexBase } from '../index/flat/flat-base.js';
import type { MetadataFilter } from '../index/filter.js';
import type { CaseSearchIndex } from '../index/disk-index.js';
import type { SearchHit, VectorIndex } from '../index/types.js';
import type { RetrievalHit } from './retrieval-hit.js';

export interface RetrieveOptions {
  readonly k: number;
  readonly filter?: MetadataFilter | undefined;
}

/**
 * Top-k retrieval over a vector index, with metadata filters applied inside the search. With a
 * WebGPU device and a flat index the scan runs on the GPU; otherwise on the CPU kernels, or in
 * LanceDB for a disk index. Scores are "larger is better": for l2 the squared distance is negated.
 */
export class DenseRetriever<I extends CaseSearchIndex = VectorIndex> {
  readonly index: I;
  readonly device: Device | undefined;

  constructor(index: I, options: { device?: Device } = {}) {
    if (!index || typeof index.searchBatch !== 'function') throw new IndexError('INDEX_INVALID_ARGUMENT', 'DenseRetriever needs a vector index');
    this.index = index;
    this.device = options.device;
  }

  /** Whether searches run on the GPU (a WebGPU device and a flat index). */
  get onDevice(): boolean {
    return this.device?.backend === 'webgpu' && this.index instanceof FlatIndexBase;
  }

  async retrieve(query: ArrayLike<number>, options: RetrieveOptions): Promise<RetrievalHit[]> {
    return (await this.retrieveBatch(query, options))[0] ?? [];
  }

  /** `queries` holds m × dim numbers row-major. */
  async retrieveBatch(queries: ArrayLike<number>, options: RetrieveOptions): Promise<RetrievalHit[][]> {
    const search = { k: options.k, ...(options.filter !== undefined ? { filter: options.filter } : {}) };
    const index = this.index;
    const results =
      this.device?.backend === 'webgpu' && index instanceof FlatIndexBase
        ? await index.searchBatchOn(this.device, queries, search)
        : index instanceof FlatIndexBase && index.threads > 1
          ? await index.searchBatchParallel(queries, search) // a flat index created with a thread pool
          : await index.searchBatch(queries, search);
    return Promise.all(results.map((hits) => Promise.all(hits.map((h) => this.hit(h)))));
  }

  /** A SearchHit as a RetrievalHit: larger-is-better score and the case's metadata. */
  async hit(h: SearchHit): Promise<RetrievalHit> {
    return { id: h.id, score: this.index.metric === 'l2' ? -h.score : h.score, metadata: await this.index.getMetadata(h.id) };
  }
}
