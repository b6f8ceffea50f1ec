import { IndexError } from '../errors.js';

/** Lower-cased runs of letters and digits: "CT chest, 3mm" → ["ct", "chest", "3mm"]. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * A small inverted index with Okapi BM25 scoring, for the text half of hybrid retrieval: report
 * text, or metadata values (modality, label names, site) rendered as text.
 */
export class TermIndex {
  readonly k1: number;
  readonly b: number;
  readonly #postings = new Map<string, Map<number, number>>();
  readonly #lengths = new Map<number, number>();
  readonly #terms = new Map<number, string[]>();
  #totalLength = 0;

  constructor(options: { k1?: number; b?: number } = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
  }

  get size(): number {
    return this.#lengths.size;
  }

  /** Indexes (or re-indexes) a document's text under an id. */
  set(id: number, text: string): void {
    if (typeof text !== 'string') throw new IndexError('INDEX_INVALID_ARGUMENT', `text of document ${id} must be a string`);
    this.delete(id);
    const tokens = tokenize(text);
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [term, count] of counts) {
      let posting = this.#postings.get(term);
      if (!posting) this.#postings.set(term, (posting = new Map()));
      posting.set(id, count);
    }
    this.#lengths.set(id, tokens.length);
    this.#terms.set(id, [...counts.keys()]);
    this.#totalLength += tokens.length;
  }

  delete(id: number): boolean {
    const terms = this.#terms.get(id);
    if (!terms) return false;
    for (const term of terms) {
      const posting = this.#postings.get(term)!;
      posting.delete(id);
      if (posting.size === 0) this.#postings.delete(term);
    }
    this.#totalLength -= this.#lengths.get(id)!;
    this.#lengths.delete(id);
    this.#terms.delete(id);
    return true;
  }

  /** BM25 scores of every document matching at least one query term and passing `allow`. */
  scores(query: string, allow: (id: number) => boolean = () => true): Map<number, number> {
    const out = new Map<number, number>();
    const n = this.#lengths.size;
    if (n === 0) return out;
    const average = this.#totalLength / n || 1;
    for (const term of new Set(tokenize(query))) {
      const posting = this.#postings.get(term);
      if (!posting) continue;
      const idf = Math.log(1 + (n - posting.size + 0.5) / (posting.size + 0.5));
      for (const [id, tf] of posting) {
        if (!allow(id)) continue;
        const length = this.#lengths.get(id)!;
        const score = (idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * length) / average));
        out.set(id, (out.get(id) ?? 0) + score);
      }
    }
    return out;
  }

  /** The k best documents for a query, best first (equal scores by id). */
  search(query: string, k: number, allow?: (id: number) => boolean): { id: number; score: number }[] {
    return [...this.scores(query, allow)].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
  }
}
