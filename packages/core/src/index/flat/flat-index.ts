import { IndexError } from '../../errors.js';
import { type KernelSet } from '../kernel-set.js';
import type { SectionArray } from '../persist/index-format.js';
import { PANEL } from '../simd/flat-scan-kernels.js';
import { FlatIndexBase } from './flat-base.js';
import type { FlatIndexOptions } from './flat-index-options.js';
import type { ScanPlan } from './scan-plan.js';
import { upperF32, writeQueryTails } from './tail-norms.js';
import { kdOrder } from './kd-order.js';

export interface FlatF32IndexOptions extends FlatIndexOptions {
  /**
   * `auto` (default): the bounded scan when the tail of the dimensions holds at most half the
   * energy; `full`: always score every dimension (an independent exact reference); `bounded`: always bound.
   */
  readonly scan?: 'auto' | 'full' | 'bounded';
}


/**
 * Exact search over f32 vectors: every vector is scored. Vectors sit in panels of eight,
 * dimension-major, scanned by the SIMD kernels with a fused top-k threshold.
 *
 * When the vectors' energy sits in their leading dimensions (PCA outputs), the scan is bounded:
 * it sums the first eighth of the dimensions, bounds the rest by Cauchy–Schwarz with the stored
 * tail norms, sums on to a quarter and bounds again, and finishes only the panels that can still
 * enter the top-k. The results are the same as the full scan's. Bulk adds are stored in k-d
 * order so that panels hold neighbours and stop early together.
 */
export class FlatIndex extends FlatIndexBase {
  readonly kind = 'flat' as const;
  /** Sums of ‖x_tail‖² and ‖x‖² over the stored vectors: is the bounded scan worth it? */
  #tailEnergy = 0;
  #energy = 0;
  readonly scanMode: 'auto' | 'full' | 'bounded';

  static async create(options: FlatF32IndexOptions): Promise<FlatIndex> {
    if (options.scan !== undefined && !['auto', 'full', 'bounded'].includes(options.scan)) {
      throw new IndexError('INDEX_INVALID_ARGUMENT', `scan "${options.scan}" is not one of auto, full, bounded`);
    }
    const holder = { onInsert: (_q: number, _p: number) => -Infinity };
    const set = await FlatIndexBase.kernels(options, holder);
    const index = new FlatIndex(options, set);
    holder.onInsert = (q, p) => index.onInsert(q, p);
    return index;
  }

  private constructor(options: FlatF32IndexOptions, set: KernelSet) {
    super(options, set);
    this.scanMode = options.scan ?? 'auto';
  }

  /** Whether searches use the bounded scan now (auto: when the tail carries at most half the energy). */
  get bounded(): boolean {
    if (this.set.stages.length === 0 || this.scanMode === 'full') return false;
    return this.scanMode === 'bounded' || this.#tailEnergy <= 0.5 * this.#energy;
  }

  /** Tail-norm regions, one per bound stage. */
  get #tailRegions(): string[] {
    return this.set.stages.map((_, s) => `tails${s}`);
  }

  protected dataRegions(): string[] {
    return ['panels', ...this.set.stages.map((_, s) => `tails${s}`)];
  }

  protected growData(capacity: number): void {
    this.set.memory.resize('panels', capacity * this.dim * 4);
    for (const region of this.#tailRegions) this.set.memory.resize(region, capacity * 4);
  }

  /** Bulk adds go in k-d order, so a panel's eight vectors tend to be neighbours (see kd-order.ts). */
  protected override insertionOrder(vectors: ArrayLike<number>, rows: number): Int32Array | null {
    return this.set.stages.length > 0 && rows > 2 * PANEL ? kdOrder(vectors, rows, this.dim) : null;
  }

  protected write(slot: number, stored: Float32Array): number {
    this.#account(slot, -1);
    const panels = this.set.memory.f32('panels');
    const base = (slot >> 3) * this.dim * PANEL + (slot & 7);
    let sum = 0;
    for (let j = 0; j < this.dim; j++) {
      const v = stored[j]!;
      panels[base + j * PANEL] = v;
      sum += v * v;
    }
    this.set.stages.forEach((prefix, s) => {
      let tail = 0;
      for (let j = prefix; j < this.dim; j++) tail += stored[j]! * stored[j]!;
      this.set.memory.f32(`tails${s}`)[slot] = upperF32(Math.sqrt(tail));
    });
    this.#account(slot, 1);
    return this.metric === 'l2' ? Math.fround(-sum) : 0;
  }

  /** Adds (sign 1) or removes (sign −1) a slot's energies — past the last stage, and in all — from the running sums. */
  #account(slot: number, sign: 1 | -1): void {
    const panels = this.set.memory.f32('panels');
    const base = (slot >> 3) * this.dim * PANEL + (slot & 7);
    const prefix = this.set.stages[this.set.stages.length - 1] ?? this.dim;
    let tail = 0;
    let sum = 0;
    for (let j = 0; j < this.dim; j++) {
      const v = panels[base + j * PANEL]!;
      sum += v * v;
      if (j >= prefix) tail += v * v;
    }
    this.#tailEnergy = Math.max(0, this.#tailEnergy + sign * tail);
    this.#energy = Math.max(0, this.#energy + sign * sum);
  }

  protected override forget(slot: number): void {
    this.#account(slot, -1);
  }

  protected copySlot(from: number, to: number): void {
    const panels = this.set.memory.f32('panels');
    const a = (from >> 3) * this.dim * PANEL + (from & 7);
    const b = (to >> 3) * this.dim * PANEL + (to & 7);
    for (let j = 0; j < this.dim; j++) panels[b + j * PANEL] = panels[a + j * PANEL]!;
    for (const region of this.#tailRegions) {
      const tails = this.set.memory.f32(region);
      tails[to] = tails[from]!;
    }
  }

  protected override afterDelete(vacated: number): void {
    const panels = this.set.memory.f32('panels');
    const base = (vacated >> 3) * this.dim * PANEL + (vacated & 7);
    for (let j = 0; j < this.dim; j++) panels[base + j * PANEL] = 0;
    for (const region of this.#tailRegions) this.set.memory.f32(region)[vacated] = 0;
  }

  protected read(slot: number, out: Float32Array): Float32Array {
    const panels = this.set.memory.f32('panels');
    const base = (slot >> 3) * this.dim * PANEL + (slot & 7);
    for (let j = 0; j < this.dim; j++) out[j] = panels[base + j * PANEL]!;
    return out;
  }

  /** The queries' tail norms past each stage, [query][stage]. */
  protected override prepareQueries(m: number): void {
    writeQueryTails(this.set.memory, this.set.stages, m, this.dim);
  }

  protected scanPlan(_m: number, biasRegion: string): ScanPlan {
    const memory = this.set.memory;
    const common = { dim: this.dim, panels: memory.ptr('panels'), bias: memory.ptr(biasRegion), queries: memory.ptr('queries') };
    if (!this.bounded) return { kind: 'f32', ...common };
    return { kind: 'f32-bounded', ...common, tails: this.#tailRegions.map((region) => memory.ptr(region)), queryTails: memory.ptr('queryTails') };
  }

  protected dataBytes(): { vectors: number; codes: number } {
    return { vectors: this.set.memory.size('panels'), codes: this.#tailRegions.reduce((sum, region) => sum + this.set.memory.size(region), 0) };
  }

  persistedState(): { params: Record<string, unknown>; sections: Record<string, SectionArray> } {
    const vectors = new Float32Array(this.count * this.dim);
    for (let slot = 0; slot < this.count; slot++) this.read(slot, vectors.subarray(slot * this.dim, (slot + 1) * this.dim));
    return { params: {}, sections: { vectors } };
  }

  protected beginRestore(rows: number, sections: Readonly<Record<string, SectionArray>>): void {
    const vectors = sections.vectors;
    if (!(vectors instanceof Float32Array) || vectors.length !== rows * this.dim) throw new IndexError('INDEX_CORRUPT', `stored flat index: "vectors" must hold ${rows} × ${this.dim} f32 values`);
    for (const v of vectors) if (!Number.isFinite(v)) throw new IndexError('INDEX_CORRUPT', 'stored flat index: a vector value is not finite');
  }

  protected restoreSlot(slot: number, sections: Readonly<Record<string, SectionArray>>): number {
    return this.write(slot, (sections.vectors as Float32Array).subarray(slot * this.dim, (slot + 1) * this.dim));
  }
}
