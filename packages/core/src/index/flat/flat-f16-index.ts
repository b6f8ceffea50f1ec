import { IndexError } from '../../errors.js';
import { type KernelSet } from '../kernel-set.js';
import type { SectionArray } from '../persist/index-format.js';
import { decodeF16, encodeF16, F16_MAX_INPUT } from '../quantize/f16.js';
import { PANEL } from '../simd/flat-scan-kernels.js';
import { FlatIndexBase, type FlatIndexOptions } from './flat-base.js';
import { DECODE_PANELS, type ScanPlan } from './scan-plan.js';

/**
 * Flat search over f16 vectors: half the memory of `flat`, every vector still scored. Panels of
 * halves are decoded to f32 a block at a time and scanned by the f32 kernel; scores are those of
 * the f16 values, so near-ties may order differently from an f32 index (no rescoring — the point
 * of this kind is to hold no f32 copy). Magnitudes below 6.1e-5 are stored as zero; above 65519
 * they are refused.
 */
export class FlatF16Index extends FlatIndexBase {
  readonly kind = 'flat-f16' as const;

  static async create(options: FlatIndexOptions): Promise<FlatF16Index> {
    const holder = { onInsert: (_q: number, _p: number) => -Infinity };
    const set = await FlatIndexBase.kernels(options, holder);
    const index = new FlatF16Index(options, set);
    holder.onInsert = (q, p) => index.onInsert(q, p);
    return index;
  }

  private constructor(options: FlatIndexOptions, set: KernelSet) {
    super(options, set);
  }

  protected dataRegions(): string[] {
    return ['halves', 'decoded'];
  }

  protected growData(capacity: number): void {
    this.set.memory.resize('halves', capacity * this.dim * 2);
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
    const halves = this.set.memory.u16('halves');
    const base = (slot >> 3) * this.dim * PANEL + (slot & 7);
    let sum = 0;
    for (let j = 0; j < this.dim; j++) {
      const h = encodeF16(stored[j]!);
      halves[base + j * PANEL] = h;
      const v = decodeF16(h);
      sum += v * v;
    }
    return this.metric === 'l2' ? Math.fround(-sum) : 0;
  }

  protected copySlot(from: number, to: number): void {
    const halves = this.set.memory.u16('halves');
    const a = (from >> 3) * this.dim * PANEL + (from & 7);
    const b = (to >> 3) * this.dim * PANEL + (to & 7);
    for (let j = 0; j < this.dim; j++) halves[b + j * PANEL] = halves[a + j * PANEL]!;
  }

  protected override afterDelete(vacated: number): void {
    const halves = this.set.memory.u16('halves');
    const base = (vacated >> 3) * this.dim * PANEL + (vacated & 7);
    for (let j = 0; j < this.dim; j++) halves[base + j * PANEL] = 0;
  }

  protected read(slot: number, out: Float32Array): Float32Array {
    const halves = this.set.memory.u16('halves');
    const base = (slot >> 3) * this.dim * PANEL + (slot & 7);
    for (let j = 0; j < this.dim; j++) out[j] = decodeF16(halves[base + j * PANEL]!);
    return out;
  }

  protected scanPlan(_m: number, biasRegion: string): ScanPlan {
    const memory = this.set.memory;
    return { kind: 'f16', dim: this.dim, halves: memory.ptr('halves'), bias: memory.ptr(biasRegion), queries: memory.ptr('queries') };
  }

  protected override decodeBlock(): number {
    return this.set.memory.ptr('decoded');
  }

  protected dataBytes(): { vectors: number; codes: number } {
    return { vectors: 0, codes: this.set.memory.size('halves') };
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
    let sum = 0;
    for (let j = 0; j < this.dim; j++) {
      const h = source[slot * this.dim + j]!;
      halves[base + j * PANEL] = h;
      sum += decodeF16(h) ** 2;
    }
    return this.metric === 'l2' ? Math.fround(-sum) : 0;
  }
}
