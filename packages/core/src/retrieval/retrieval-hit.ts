import type { VectorMetadata } from '../index/metadata-store.js';

/** One retrieved case: its id, the retriever's score (larger = better) and its metadata. */
export interface RetrievalHit {
  readonly id: number;
  /** The ranking score: a similarity, a negated distance (l2), a blend (hybrid) or the reranker's score. */
  readonly score: number;
  readonly metadata?: VectorMetadata | undefined;
  /** Hybrid parts: the dense similarity and the term score that were blended. */
  readonly dense?: number;
  readonly term?: number;
}
