import { IndexError } from '../../errors.js';
import { type KernelSet } from '../kernel-set.js';
import type { SectionArray } from '../persist/index-format.js';
import type { Device } from '../../compute/device.js';
import { gpuInt8Search, MAX_FLAT_TOP_K_INT8 } from '../gpu/gpu-int8-search.js';
import { GpuResidentInt8 } from '../gpu/gpu-resident-int8.js';
import { kernelQuery, storedVector } from '../metric.js';
import { quantizeQuery } from '../quantize/query-codes.js';
import { ScalarQuantizer } from '../quantize/scalar-quantizer.js';
import { PANEL } from '../simd/flat-scan-kernels.js';
import { FlatIndexBase } from './flat-base.js';
import type { FlatIndexOptions } from './flat-index-options.js';
import type { ScanPlan } from './scan-plan.js';

export interface FlatInt8IndexOptions extends FlatIndexOptions {
  /**
   * Candidates kept by the int8 scan and rescored exactly with the f32 vectors (at least k).
   * Default: max(4k, 40).
   */
  readonly rescore?: number;
  /**
   * `exact` (default): keep the f32 originals beside the codes and score the kept candidates with
   * them. `none`: keep only the codes (about a quarter of the f32 memory); candidates are scored
   * against the dequantized codes and getVector returns those.
   */
  readonly rescoring?: Int8Rescoring;
}

export type Int8Rescoring = 'exact' | 'none';
export const INT8_RESCORINGS: readonly Int8Rescoring[] = ['exact', 'none'];

/**
 * Flat search over int8 codes (per-dimension scalar quantization) with exact rescoring: the scan
 * multiplies u8 codes by an i16-quantized query with `i32x4.dot_i16x8_s` — a quarter of the f32
 * scan's bytes — keeps the best `rescore` candidates, and scores those exactly with the f32
 * originals kept beside the codes. With `rescoring: 'none'` it keeps no originals: a quarter of
 * the f32 memory, candidates scored against the dequantized codes (recall below 1, reported by
 * bench/retrieval).
 */
export class FlatInt8Index extends FlatIndexBase {
  readonly kind = 'flat-int8' as const;
  readonly quantizer: ScalarQuantizer;
  readonly rescore: number | undefined;
  readonly rescoring: Int8Rescoring;
  readonly #pairs: number;
  readonly #gpu = new GpuResidentInt8();

  static async create(options: FlatInt8IndexOptions): Promise<FlatInt8Index> {
    if (options.rescore !== undefined && (!Number.isInteger(options.rescore) || options.rescore < 1)) {
      throw new IndexError('INDEX_INVALID_ARGUMENT', `rescore = ${options.rescore} must be an integer ≥ 1`);
    }
    if (options.rescoring !== undefined && !INT8_RESCORINGS.includes(options.rescoring)) {
      throw new IndexError('INDEX_INVALID_ARGUMENT', `rescoring "${options.rescoring}" is not one of ${INT8_RESCORINGS.join(', ')}`);
    }
    const holder = { onInsert: (_q: number, _p: number) => -Infinity };
    const set = await FlatIndexBase.kernels(options, holder);
    const index = new FlatInt8Index(options, set);
    holder.onInsert = (q, p) => index.onInsert(q, p);
    return index;
  }

  private constructor(options: FlatInt8IndexOptions, set: KernelSet) {
    super(options, set);
    this.quantizer = new ScalarQuantizer(options.dim);
    this.rescore = options.rescore;
    this.rescoring = options.rescoring ?? 'exact';
    this.#pairs = Math.ceil(options.dim / 2);
  }

  protected override poolSize(k: number): number {
    return Math.max(k, this.rescore ?? Math.max(4 * k, 40));
  }

  protected dataRegions(): string[] {
    return ['codes', 'originals', 'queryCodes'];
  }

  protected growData(capacity: number): void {
    this.set.memory.resize('codes', (capacity / PANEL) * this.#pairs * 16);
    if (this.rescoring === 'exact') this.set.memory.resize('originals', capacity * this.dim * 4);
  }

  protected override beforeAdd(vectors: ArrayLike<number>, rows: number): void {
    const stored = new Float32Array(rows * this.dim);
    for (let r = 0; r < rows; r++) storedVector(this.metric, vectors, r * this.dim, this.dim, stored.subarray(r * this.dim, (r + 1) * this.dim));
    const previous = { lo: Float64Array.from(this.quantizer.lo), hi: Float64Array.from(this.quantizer.hi) };
    if (this.quantizer.cover(stored, rows)) this.#reencode(previous);
  }

  /**
   * Re-encodes every stored vector after the ranges changed: from its original, or (rescoring
   * none) from its codes decoded with the previous ranges — a second rounding, within one step.
   */
  #reencode(previous: { lo: Float64Array; hi: Float64Array }): void {
    const bias = this.set.memory.f32('bias');
    if (this.rescoring === 'exact') {
      const originals = this.set.memory.f32('originals');
      for (let slot = 0; slot < this.count; slot++) bias[slot] = this.#encode(slot, originals.subarray(slot * this.dim, (slot + 1) * this.dim));
      return;
    }
    const codes = this.set.memory.u8('codes');
    const row = new Float64Array(this.dim);
    for (let slot = 0; slot < this.count; slot++) {
      const base = (slot >> 3) * this.#pairs * 16 + (slot & 7) * 2;
      for (let j = 0; j < this.dim; j++) {
        const width = previous.hi[j]! - previous.lo[j]!;
        row[j] = previous.lo[j]! + (width > 0 ? width / 255 : 1) * codes[base + (j >> 1) * 16 + (j & 1)]!;
      }
      bias[slot] = this.#encode(slot, row);
    }
  }

  /** Writes a slot's codes; returns its approximate kernel bias (−‖x̂‖² for l2). */
  #encode(slot: number, x: ArrayLike<number>): number {
    const codes = this.set.memory.u8('codes');
    const base = (slot >> 3) * this.#pairs * 16 + (slot & 7) * 2;
    let sum = 0;
    for (let j = 0; j < this.dim; j++) {
      const c = this.quantizer.code(j, x[j]!);
      codes[base + (j >> 1) * 16 + (j & 1)] = c;
      const v = this.quantizer.decode(j, c);
      sum += v * v;
    }
    return this.metric === 'l2' ? Math.fround(-sum) : 0;
  }

  protected write(slot: number, stored: Float32Array): number {
    if (this.rescoring === 'exact') this.set.memory.f32('originals').set(stored, slot * this.dim);
    return this.#encode(slot, stored);
  }

  protected copySlot(from: number, to: number): void {
    if (this.rescoring === 'exact') this.set.memory.f32('originals').copyWithin(to * this.dim, from * this.dim, (from + 1) * this.dim);
    const codes = this.set.memory.u8('codes');
    const a = (from >> 3) * this.#pairs * 16 + (from & 7) * 2;
    const b = (to >> 3) * this.#pairs * 16 + (to & 7) * 2;
    for (let p = 0; p < this.#pairs; p++) {
      codes[b + p * 16] = codes[a + p * 16]!;
      codes[b + p * 16 + 1] = codes[a + p * 16 + 1]!;
    }
  }

  protected override afterDelete(vacated: number): void {
    if (this.rescoring === 'exact') this.set.memory.f32('originals').fill(0, vacated * this.dim, (vacated + 1) * this.dim);
  }

  protected read(slot: number, out: Float32Array): Float32Array {
    if (this.rescoring === 'none') return this.scanVector(slot, out);
    out.set(this.set.memory.f32('originals').subarray(slot * this.dim, (slot + 1) * this.dim));
    return out;
  }

  /** The GPU path scans the dequantized codes, as the int8 scan does, and rescores from the originals. */
  protected override scanVector(slot: number, out: Float32Array): Float32Array {
    const codes = this.set.memory.u8('codes');
    const base = (slot >> 3) * this.#pairs * 16 + (slot & 7) * 2;
    for (let j = 0; j < this.dim; j++) out[j] = this.quantizer.decode(j, codes[base + (j >> 1) * 16 + (j & 1)]!);
    return out;
  }

  /**
   * On the GPU the codes themselves are resident (4 per u32 word) and one fused flat-top-k-int8
   * pass keys them as the CPU int8 scan does, from the same query codes; pools past its limit
   * scan the dequantized rows in two passes instead.
   */
  protected override async gpuCandidates(device: Device, version: number, queries: ArrayLike<number>, stored: Float32Array, mask: Uint8Array, pool: number): Promise<Int32Array> {
    if (pool > MAX_FLAT_TOP_K_INT8) return super.gpuCandidates(device, version, queries, stored, mask, pool);
    const m = stored.length / this.dim;
    const codes = new Int16Array(m * this.dim);
    const scales = new Float32Array(m);
    const prepared = new Float32Array(this.dim);
    const padded = new Int16Array(this.#pairs * 2); // the CPU scan's length, so the same i16 range
    for (let q = 0; q < m; q++) {
      scales[q] = quantizeQuery(kernelQuery(this.metric, queries, q * this.dim, this.dim, prepared), this.quantizer, padded);
      codes.set(padded.subarray(0, this.dim), q * this.dim);
    }
    const resident = this.#gpu.get(device, version, this.count, this.dim, (slot, out) => this.#rowCodes(slot, out), this.set.memory.f32('bias'));
    return (await gpuInt8Search(device, resident, { codes, scales }, mask, pool)).indices;
  }

  override releaseDevice(): void {
    super.releaseDevice();
    this.#gpu.release();
  }

  #rowCodes(slot: number, out: Uint8Array): void {
    const codes = this.set.memory.u8('codes');
    const base = (slot >> 3) * this.#pairs * 16 + (slot & 7) * 2;
    for (let j = 0; j < this.dim; j++) out[j] = codes[base + (j >> 1) * 16 + (j & 1)]!;
  }

  /** Quantizes the prepared queries (quantizeQuery) into `queryCodes`, their scales into `scales`. */
  protected override prepareQueries(m: number): void {
    const memory = this.set.memory;
    const pairs = this.#pairs;
    memory.reserve('queryCodes', m * pairs * 4);
    memory.reserve('scales', m * 4);
    const queries = memory.f32('queries', m * this.dim);
    const codes = memory.i16('queryCodes', m * pairs * 2);
    const scales = memory.f32('scales', m);
    for (let q = 0; q < m; q++) scales[q] = quantizeQuery(queries.subarray(q * this.dim, (q + 1) * this.dim), this.quantizer, codes.subarray(q * pairs * 2, (q + 1) * pairs * 2));
  }

  protected scanPlan(_m: number, biasRegion: string): ScanPlan {
    const memory = this.set.memory;
    return { kind: 'i8', dim: this.dim, codes: memory.ptr('codes'), bias: memory.ptr(biasRegion), queryCodes: memory.ptr('queryCodes'), scales: memory.ptr('scales') };
  }

  protected dataBytes(): { vectors: number; codes: number } {
    return { vectors: this.set.memory.size('originals'), codes: this.set.memory.size('codes') };
  }

  persistedState(): { params: Record<string, unknown>; sections: Record<string, SectionArray> } {
    const params = { rescore: this.rescore ?? null, rescoring: this.rescoring };
    const ranges = { lo: Float64Array.from(this.quantizer.lo), hi: Float64Array.from(this.quantizer.hi) };
    if (this.rescoring === 'exact') return { params, sections: { originals: this.set.memory.f32('originals').slice(0, this.count * this.dim), ...ranges } };
    const codes = new Uint8Array(this.count * this.dim);
    const panels = this.set.memory.u8('codes');
    for (let slot = 0; slot < this.count; slot++) {
      const base = (slot >> 3) * this.#pairs * 16 + (slot & 7) * 2;
      for (let j = 0; j < this.dim; j++) codes[slot * this.dim + j] = panels[base + (j >> 1) * 16 + (j & 1)]!;
    }
    return { params, sections: { codes, ...ranges } };
  }

  protected beginRestore(rows: number, sections: Readonly<Record<string, SectionArray>>): void {
    const { originals, codes, lo, hi } = sections;
    if (this.rescoring === 'exact') {
      if (!(originals instanceof Float32Array) || originals.length !== rows * this.dim) throw new IndexError('INDEX_CORRUPT', `stored flat-int8 index: "originals" must hold ${rows} × ${this.dim} f32 values`);
      for (const v of originals) if (!Number.isFinite(v)) throw new IndexError('INDEX_CORRUPT', 'stored flat-int8 index: a vector value is not finite');
    } else if (!(codes instanceof Uint8Array) || codes.length !== rows * this.dim) {
      throw new IndexError('INDEX_CORRUPT', `stored flat-int8 index without originals: "codes" must hold ${rows} × ${this.dim} u8 codes`);
    }
    if (!(lo instanceof Float64Array) || !(hi instanceof Float64Array) || lo.length !== this.dim || hi.length !== this.dim) throw new IndexError('INDEX_CORRUPT', 'stored flat-int8 index: quantizer ranges missing');
    for (let j = 0; j < this.dim; j++) if (!(lo[j]! <= hi[j]!) || !Number.isFinite(lo[j]!) || !Number.isFinite(hi[j]!)) throw new IndexError('INDEX_CORRUPT', `stored flat-int8 index: range of dimension ${j} is invalid`);
    if (rows > 0) this.quantizer.restore(lo, hi);
  }

  protected restoreSlot(slot: number, sections: Readonly<Record<string, SectionArray>>): number {
    if (this.rescoring === 'exact') return this.write(slot, (sections.originals as Float32Array).subarray(slot * this.dim, (slot + 1) * this.dim));
    const source = (sections.codes as Uint8Array).subarray(slot * this.dim, (slot + 1) * this.dim);
    const codes = this.set.memory.u8('codes');
    const base = (slot >> 3) * this.#pairs * 16 + (slot & 7) * 2;
    let sum = 0;
    for (let j = 0; j < this.dim; j++) {
      codes[base + (j >> 1) * 16 + (j & 1)] = source[j]!;
      sum += this.quantizer.decode(j, source[j]!) ** 2;
    }
    return this.metric === 'l2' ? Math.fround(-sum) : 0;
  }
}
