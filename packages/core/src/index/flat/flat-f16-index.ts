import { IndexError } from '../../errors.js';
import { type KernelSet } from '../kernel-set.js';
import type { SectionArray } from '../persist/index-format.js';
import { decodeF16, encodeF16, F16_MAX_INPUT } from '../quantize/f16.js';
import { PANEL } from '../simd/flat-scan-kernels.js';
import { FlatIndexBase } from './flat-base.js';
import type { FlatIndexOptions } from './flat-index-options.js';
import { kdOrder } from './kd-order.js';
import { DECODE_PANELS, type ScanPlan } from './scan-plan.js';
import { EnergyTally, writeQueryTails, writeTails } from './tail-norms.js';

export interface FlatF16IndexOptions extends FlatIndexOptions {
  /** As the f32 index's `scan`: `auto` (default) bounds when the tail dimensions hold at most half the energy. */
  readonly scan?: 'auto' | 'full' | 'bounded';
}

/**
 * Flat search over f16 vectors: half the memory of `flat`, every vector still scored. Panels of
 * halves are decoded to f32 a block at a time and scanned by the f32 kernel; scores are those of
 * the f16 values, so near-ties may order differently from an f32 index (no rescoring — the point
 * of this kind is to hold no f32 copy). Magnitudes below 6.1e-5 are stored as zero; above 65519
 * they are refused.
 *
 * Like the f32 index, it bounds the scan when the energy sits in the leading dimensions (PCA
 * outputs): tail norms of the f16 values per stage, the bounded f32 kernel on each decoded block,
 * bulk adds in k-d order — the same hits as the full scan, with most panels stopped early.
 */
export class FlatF16Index extends FlatIndexBase {
  readonly kind = 'flat-f16' as const;

  readonly scanMode: 'auto' | 'full' | 'bounded';
  readonly #energy = new EnergyTally();
  readonly #row: Float32Array;

  static async create(options: FlatF16IndexOptions): Promise<FlatF16Index> {
    if (options.scan !== undefined && !['auto', 'full', 'bounded'].includes(options.scan)) {
      throw new IndexError('INDEX_INVALID_ARGUMENT', `scan "${options.scan}" is not one of auto, full, bounded`);
    }
    const holder = { onInsert: (_q: number, _p: number) => -Infinity };
    const set = await FlatIndexBase.kernels(options, holder);
    const index = new FlatF16Index(options, set);
    holder.onInsert = (q, p) => index.onInsert(q, p);
    return index;
  }

  private constructor(options: FlatF16IndexOptions, set: KernelSet) {
    super(options, set);
    this.scanMode = options.scan ?? 'auto';
    this.#row = new Float32Array(options.dim);
  }

  /** Whether searches use the bounded scan now (auto: when the tail carries at most half the energy). */
  get bounded(): boolean {
    if (this.set.stages.length === 0 || this.scanMode === 'full') return false;
    return this.scanMode === 'bounded' || this.#energy.tailLight;
  }

  get #tailRegions(): string[] {
    return this.set.stages.map((_, s) => `tails${s}`);
  }

  protected dataRegions(): string[] {
    return ['halves', 'decoded', ...this.set.stages.map((_, s) => `tails${s}`)];
  }

  /** Bulk adds go in k-d order, so a panel's eight vectors tend to be neighbours and stop early together. */
  protected override insertionOrder(vectors: ArrayLike<number>, rows: number): Int32Array | null {
    return this.set.stages.length > 0 && rows > 2 * PANEL ? kdOrder(vectors, rows, this.dim) : null;
  }

  protected growData(capacity: number): void {
    this.set.memory.resize('halves', capacity * this.dim * 2);
    for (const region of this.#tailRegions) this.set.memory.resize(region, capacity * 4);
    // Reserved here, never during a scan: a scan must not move the memory under its views.
    this.set.memory.reserve('decoded', Math.min(DECODE_PANELS, capacity / PANEL) * this.dim * PANEL * 4);
  }

  protected override beforeAdd(vectors: ArrayLike<number>, rows: number): void {
    for (let i = 0; i < rows * this.dim; i++) {
      if (Math.abs(vectors[i]!) > F16_MAX_INPUT) {
        throw new IndexError('INDEX_INVALID_VECTOR', `value ${vectors[i]} at row ${Math.floor(i / this.dim)}, dimension ${i % this.dim} exceeds the f16 range (±${F16_MAX_INPUT}); use a flat or flat-int8 index`);
      }
    }
  }

  protected write(slot: number, stored: Float32Array): number {
    this.forget(slot);
    const halves = this.set.memory.u16('halves');
    const base = (slot >> 3) * this.dim * PANEL + (slot & 7);
    for (let j = 0; j < this.dim; j++) halves[base + j * PANEL] = encodeF16(stored[j]!);
    return this.#stored(slot);
  }

  /** After a slot's halves are written: its tail norms and energies from the f16 values; returns its kernel bias. */
  #stored(slot: number): number {
    const row = this.read(slot, this.#row);
    writeTails(this.set.memory, this.set.stages, slot, row, this.dim);
    this.#energy.account(row, this.dim, this.set.stages, 1);
    let sum = 0;
    for (let j = 0; j < this.dim; j++) sum += row[j]! * row[j]!;
    return this.metric === 'l2' ? Math.fround(-sum) : 0;
  }

  protected override forget(slot: number): void {
    this.#energy.account(this.read(slot, this.#row), this.dim, this.set.stages, -1);
  }

  protected copySlot(from: number, to: number): void {
    const halves = this.set.memory.u16('halves');
    const a = (from >> 3) * this.dim * PANEL + (from & 7);
    const b = (to >> 3) * this.dim * PANEL + (to & 7);
    for (let j = 0; j < this.dim; j++) halves[b + j * PANEL] = halves[a + j * PANEL]!;
    for (const region of this.#tailRegions) {
      const tails = this.set.memory.f32(region);
      tails[to] = tails[from]!;
    }
  }

  protected override afterDelete(vacated: number): void {
    const halves = this.set.memory.u16('halves');
    const base = (vacated >> 3) * this.dim * PANEL + (vacated & 7);
    for (let j = 0; j < this.dim; j++) halves[base + j * PANEL] = 0;
    for (const region of this.#tailRegions) this.set.memory.f32(region)[vacated] = 0;
  }

  protected read(slot: number, out: Float32Array): Float32Array {
    const halves = this.set.memory.u16('halves');
    const base = (slot >> 3) * this.dim * PANEL + (slot & 7);
    for (let j = 0; j < this.dim; j++) out[j] = decodeF16(halves[base + j * PANEL]!);
    return out;
  }

  /** The queries' tail norms past each stage, [query][stage]. */
  protected override prepareQueries(m: number): void {
    writeQueryTails(this.set.memory, this.set.stages, m, this.dim);
  }

  protected scanPlan(_m: number, biasRegion: string): ScanPlan {
    const memory = this.set.memory;
    const common = { dim: this.dim, halves: memory.ptr('halves'), bias: memory.ptr(biasRegion), queries: memory.ptr('queries') };
    if (!this.bounded) return { kind: 'f16', ...common };
    return { kind: 'f16-bounded', ...common, tails: this.#tailRegions.map((region) => memory.ptr(region)), queryTails: memory.ptr('queryTails') };
  }

  protected override decodeBlock(): number {
    return this.set.memory.ptr('decoded');
  }

  protected dataBytes(): { vectors: number; codes: number } {
    return { vectors: 0, codes: this.set.memory.size('halves') + this.#tailRegions.reduce((sum, region) => sum + this.set.memory.size(region), 0) };
  }

  protected override scratchBytes(): number {
    return this.set.memory.size('decoded');
  }

  persistedState(): { params: Record<string, unknown>; sections: Record<string, SectionArray> } {
    const halves = new Uint16Array(this.count * this.dim);
    const stored = this.set.memory.u16('halves');
    for (let slot = 0; slot < this.count; slot++) {
      const base = (slot >> 3) * this.dim * PANEL + (slot & 7);
      for (let j = 0; j < this.dim; j++) halves[slot * this.dim + j] = stored[base + j * PANEL]!;
    }
    return { params: {}, sections: { halves } };
  }

  protected beginRestore(rows: number, sections: Readonly<Record<string, SectionArray>>): void {
    const halves = sections.halves;
    if (!(halves instanceof Uint16Array) || halves.length !== rows * this.dim) throw new IndexError('INDEX_CORRUPT', `stored flat-f16 index: "halves" must hold ${rows} × ${this.dim} f16 values`);
    for (const h of halves) if ((h & 0x7c00) === 0x7c00) throw new IndexError('INDEX_CORRUPT', 'stored flat-f16 index: a value is infinite or NaN');
  }

  protected restoreSlot(slot: number, sections: Readonly<Record<string, SectionArray>>): number {
    const source = sections.halves as Uint16Array;
    const halves = this.set.memory.u16('halves');
    const base = (slot >> 3) * this.dim * PANEL + (slot & 7);
    for (let j = 0; j < this.dim; j++) halves[base + j * PANEL] = source[slot * this.dim + j]!;
    return this.#stored(slot);
  }
}
