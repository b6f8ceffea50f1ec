import { IndexError, OnnxError } from '../errors.js';
import type { VectorMetadata } from '../index/metadata-store.js';
import type { VectorMetric } from '../index/types.js';
import type { OnnxExecutionProvider, OnnxRuntime, OnnxSession } from '../onnx/session.js';
import type { DenseRetriever, RetrieveOptions } from './dense-retriever.js';
import type { RetrievalHit } from './retrieval-hit.js';

/** Where a reranker reads full-precision vectors: any VectorIndex, or another store of them. */
export interface VectorSource {
  readonly dim: number;
  readonly metric: VectorMetric;
  has(id: number): boolean;
  getVector(id: number): Float32Array;
  getMetadata?(id: number): VectorMetadata | undefined;
}

/** Re-scores a candidate pool and keeps the k best. */
export interface Reranker {
  rerank(query: ArrayLike<number>, candidates: readonly number[], k: number): Promise<RetrievalHit[]>;
}

function checkQuery(query: ArrayLike<number>, dim: number): void {
  if (!query || query.length !== dim) throw new IndexError('INDEX_DIMENSION_MISMATCH', `rerank query has ${query?.length} values; the vectors have dim ${dim}`);
}

/**
 * Exact rescoring in float64 from full-precision vectors — after an approximate first stage (HNSW,
 * int8 codes, a smaller PCA) it restores exact order over the pool. Scores are larger-is-better
 * (negated squared distance for l2; cosine normalises both sides).
 */
export class ExactReranker implements Reranker {
  readonly source: VectorSource;
  readonly metric: VectorMetric;

  constructor(source: VectorSource, options: { metric?: VectorMetric } = {}) {
    this.source = source;
    this.metric = options.metric ?? source.metric;
  }

  async rerank(query: ArrayLike<number>, candidates: readonly number[], k: number): Promise<RetrievalHit[]> {
    checkQuery(query, this.source.dim);
    const dim = this.source.dim;
    let qNorm = 0;
    for (let j = 0; j < dim; j++) qNorm += query[j]! * query[j]!;
    qNorm = Math.sqrt(qNorm);
    const hits: RetrievalHit[] = [];
    for (const id of new Set(candidates)) {
      if (!this.source.has(id)) continue;
      const x = this.source.getVector(id);
      let dot = 0;
      let xx = 0;
      let dist = 0;
      for (let j = 0; j < dim; j++) {
        dot += query[j]! * x[j]!;
        xx += x[j]! * x[j]!;
        dist += (query[j]! - x[j]!) ** 2;
      }
      const norms = qNorm * Math.sqrt(xx);
      const score = this.metric === 'l2' ? -dist : this.metric === 'cosine' ? (norms > 0 ? dot / norms : 0) : dot;
      hits.push({ id, score, metadata: this.source.getMetadata?.(id) });
    }
    return hits.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
  }
}

export interface OnnxRerankerOptions {
  /** Input taking the query, float32 [1, dim] (default "query"). */
  readonly queryInput?: string;
  /** Input taking the candidates, float32 [c, dim] (default "candidates"). */
  readonly candidatesInput?: string;
  /** Output giving one score per candidate, [c] or [c, 1] (default "scores"). */
  readonly scoresOutput?: string;
  /** Providers tried in order (default webgpu, then cpu on Node / wasm in browsers — pass yours). */
  readonly executionProviders?: readonly OnnxExecutionProvider[];
  /** false when the model outputs distances (smaller is better). Default true. */
  readonly largerIsBetter?: boolean;
}

/**
 * Rescoring with a learned scorer: any ONNX model mapping (query [1, d], candidates [c, d]) to
 * scores [c], run through the injected OnnxRuntime (onnxruntime-node or -web).
 */
export class OnnxReranker implements Reranker {
  readonly source: VectorSource;
  readonly session: OnnxSession;
  readonly #names: { query: string; candidates: string; scores: string };
  readonly #sign: 1 | -1;

  private constructor(source: VectorSource, session: OnnxSession, names: { query: string; candidates: string; scores: string }, largerIsBetter: boolean) {
    this.source = source;
    this.session = session;
    this.#names = names;
    this.#sign = largerIsBetter ? 1 : -1;
  }

  static async create(runtime: OnnxRuntime, model: Uint8Array, source: VectorSource, options: OnnxRerankerOptions = {}): Promise<OnnxReranker> {
    const names = { query: options.queryInput ?? 'query', candidates: options.candidatesInput ?? 'candidates', scores: options.scoresOutput ?? 'scores' };
    const session = await runtime.createSession(model, { executionProviders: options.executionProviders ?? ['webgpu', runtime.name === 'onnxruntime-node' ? 'cpu' : 'wasm'] });
    for (const input of [names.query, names.candidates]) {
      if (!session.inputNames.includes(input)) {
        await session.release();
        throw new OnnxError('ONNX_GRAPH_INVALID', `reranker model has no input "${input}"; its inputs: ${session.inputNames.join(', ')}`);
      }
    }
    if (!session.outputNames.includes(names.scores)) {
      await session.release();
      throw new OnnxError('ONNX_GRAPH_INVALID', `reranker model has no output "${names.scores}"; its outputs: ${session.outputNames.join(', ')}`);
    }
    return new OnnxReranker(source, session, names, options.largerIsBetter ?? true);
  }

  async rerank(query: ArrayLike<number>, candidates: readonly number[], k: number): Promise<RetrievalHit[]> {
    checkQuery(query, this.source.dim);
    const ids = [...new Set(candidates)].filter((id) => this.source.has(id));
    if (ids.length === 0) return [];
    const dim = this.source.dim;
    const block = new Float32Array(ids.length * dim);
    ids.forEach((id, i) => block.set(this.source.getVector(id), i * dim));
    const out = await this.session.run(
      {
        [this.#names.query]: { type: 'float32', dims: [1, dim], data: Float32Array.from(query) },
        [this.#names.candidates]: { type: 'float32', dims: [ids.length, dim], data: block },
      },
      [this.#names.scores],
    );
    const scores = out[this.#names.scores]!;
    if (scores.data.length !== ids.length) throw new OnnxError('ONNX_RUN_FAILED', `reranker output "${this.#names.scores}" has ${scores.data.length} values for ${ids.length} candidates`);
    const hits = ids.map((id, i) => ({ id, score: this.#sign * Number(scores.data[i]), metadata: this.source.getMetadata?.(id) }));
    return hits.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/** A first-stage retriever for a larger pool, then a reranker for the final k. */
export class RerankingRetriever {
  readonly first: DenseRetriever;
  readonly reranker: Reranker;
  readonly pool: number | undefined;

  constructor(first: DenseRetriever, reranker: Reranker, options: { pool?: number } = {}) {
    if (options.pool !== undefined && (!Number.isInteger(options.pool) || options.pool < 1)) throw new IndexError('INDEX_INVALID_ARGUMENT', `pool = ${options.pool} must be an integer ≥ 1`);
    this.first = first;
    this.reranker = reranker;
    this.pool = options.pool;
  }

  /** `rerankQuery` is the query in the reranker's space when it differs from the first stage's. */
  async retrieve(query: ArrayLike<number>, options: RetrieveOptions & { rerankQuery?: ArrayLike<number> }): Promise<RetrievalHit[]> {
    const pool = Math.max(options.k, this.pool ?? 5 * options.k);
    const candidates = await this.first.retrieve(query, { k: pool, filter: options.filter });
    return this.reranker.rerank(options.rerankQuery ?? query, candidates.map((h) => h.id), options.k);
  }
}
