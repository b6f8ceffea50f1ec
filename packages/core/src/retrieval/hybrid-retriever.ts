import { IndexError } from '../errors.js';
import type { MetadataFilter } from '../index/filter.js';
import type { VectorMetadata } from '../index/metadata-store.js';
import type { DenseRetriever } from './dense-retriever.js';
import type { RetrievalHit } from './retrieval-hit.js';
import type { TermIndex } from './term-index.js';

export interface HybridQuery {
  /** The query embedding (omit for a text-only query). */
  readonly vector?: ArrayLike<number> | undefined;
  /** Query text matched against the term index (omit for a dense-only query). */
  readonly text?: string | undefined;
  readonly k: number;
  readonly filter?: MetadataFilter | undefined;
  /** Weight of the term score in [0, 1]; overrides the retriever's. */
  readonly weight?: number | undefined;
}

export interface HybridOptions {
  /** Weight of the term score in [0, 1] (default 0.3): score = (1 − w)·dense + w·term, both scaled to [0, 1]. */
  readonly weight?: number;
  /** Candidates drawn from each side before blending (default max(50, 4k)). */
  readonly pool?: number;
}

function checkWeight(weight: number): number {
  if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) throw new IndexError('INDEX_INVALID_ARGUMENT', `hybrid weight = ${weight} must be a number in [0, 1]`);
  return weight;
}

/**
 * Hybrid retrieval: the dense top candidates and the term (BM25) top candidates — both with the
 * filter applied inside their searches — are pooled, each side's score is scaled to [0, 1] over
 * the pool (min–max for the dense similarity, by the best for BM25), and blended with a weight.
 * Candidates found by one side only get the other side's score computed exactly (dense) or as 0
 * (no matching term).
 */
export class HybridRetriever {
  readonly dense: DenseRetriever;
  readonly terms: TermIndex;
  readonly weight: number;
  readonly pool: number | undefined;

  constructor(dense: DenseRetriever, terms: TermIndex, options: HybridOptions = {}) {
    this.dense = dense;
    this.terms = terms;
    this.weight = checkWeight(options.weight ?? 0.3);
    if (options.pool !== undefined && (!Number.isInteger(options.pool) || options.pool < 1)) throw new IndexError('INDEX_INVALID_ARGUMENT', `pool = ${options.pool} must be an integer ≥ 1`);
    this.pool = options.pool;
  }

  /** Indexes the given metadata fields of every case in the dense index as its text. */
  indexMetadata(fields: readonly string[]): void {
    const index = this.dense.index;
    for (const id of index.ids()) this.terms.set(id, metadataText(index.getMetadata(id), fields));
  }

  async retrieve(query: HybridQuery): Promise<RetrievalHit[]> {
    const { k } = query;
    if (!Number.isInteger(k) || k < 1) throw new IndexError('INDEX_INVALID_ARGUMENT', `k = ${k} must be an integer ≥ 1`);
    if (query.vector === undefined && query.text === undefined) throw new IndexError('INDEX_INVALID_ARGUMENT', 'a hybrid query needs a vector, a text, or both');
    const weight = query.vector === undefined ? 1 : query.text === undefined ? 0 : checkWeight(query.weight ?? this.weight);
    const pool = this.pool ?? Math.max(50, 4 * k);
    const index = this.dense.index;
    const allow = query.filter !== undefined ? index.matcher(query.filter) : (id: number) => index.has(id);

    const dense = new Map<number, number>();
    if (query.vector !== undefined) {
      for (const h of await this.dense.retrieve(query.vector, { k: pool, filter: query.filter })) dense.set(h.id, h.score);
    }
    const term = new Map<number, number>();
    if (query.text !== undefined) for (const h of this.terms.search(query.text, pool, allow)) term.set(h.id, h.score);

    const candidates = [...new Set([...dense.keys(), ...term.keys()])];
    if (query.vector !== undefined) {
      const missing = candidates.filter((id) => !dense.has(id));
      const exact = index.score(query.vector, missing);
      missing.forEach((id, i) => dense.set(id, index.metric === 'l2' ? -exact[i]! : exact[i]!));
      if (query.text !== undefined) {
        const textScores = this.terms.scores(query.text, (id) => dense.has(id) && !term.has(id));
        for (const [id, s] of textScores) term.set(id, s);
      }
    }
    const denseValues = candidates.map((id) => dense.get(id) ?? 0);
    const low = Math.min(...denseValues);
    const high = Math.max(...denseValues);
    const bestTerm = Math.max(0, ...candidates.map((id) => term.get(id) ?? 0));
    const hits: RetrievalHit[] = candidates.map((id) => {
      const d = dense.get(id) ?? 0;
      const t = term.get(id) ?? 0;
      const dn = high > low ? (d - low) / (high - low) : 1;
      const tn = bestTerm > 0 ? t / bestTerm : 0;
      return { id, score: (1 - weight) * dn + weight * tn, metadata: index.getMetadata(id), dense: d, term: t };
    });
    return hits.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
  }
}

/** The values of some metadata fields as one text: `{ modality: 'CT', site: 'north' }` → "CT north". */
export function metadataText(metadata: VectorMetadata | undefined, fields: readonly string[]): string {
  if (!metadata) return '';
  return fields.map((f) => (metadata[f] === undefined ? '' : String(metadata[f]))).filter(Boolean).join(' ');
}
