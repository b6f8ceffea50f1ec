import type { KernelBackend } from './backend.js';
import { SHARED_MEMORY_MAX_PAGES } from './wasm-encoder.js';

/**
 * Kernel storage (an index's vectors, links and scratch): named regions laid out one after another
 * in one linear memory — a WebAssembly.Memory for the 'wasm-simd' kernels, a plain ArrayBuffer for
 * the 'reference' ones.
 * Regions keep their declaration order; resizing one moves the regions after it, so pointers and
 * views must be taken again after any resize (`ptr`, `f32`, … are cheap).
 * Declare the large, slowly growing regions first and the per-search scratch last.
 */
const ALIGN = 64;
const PAGE = 65536;

interface Region {
  ptr: number;
  bytes: number;
}

function aligned(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

export class LinearMemory {
  readonly wasm: WebAssembly.Memory | null;
  #plain: ArrayBuffer | null;
  readonly #regions = new Map<string, Region>();
  readonly #order: string[] = [];
  /** Regions laid out by another thread (attach): their pointers are fixed, so none may move. */
  #attached = false;

  /** `shared`: a WebAssembly.Memory over a SharedArrayBuffer, so worker threads scan the same bytes (wasm-simd only). */
  constructor(backend: KernelBackend, shared = false) {
    this.wasm = backend === 'wasm-simd' ? new WebAssembly.Memory(shared ? { initial: 1, maximum: SHARED_MEMORY_MAX_PAGES, shared: true } : { initial: 1 }) : null;
    this.#plain = this.wasm ? null : new ArrayBuffer(PAGE);
  }

  /**
   * Another thread's view of a shared memory whose regions its owner laid out: the same names
   * and pointers (`regions`: name, pointer, bytes), read and written in place but never resized —
   * the owner's layout is the only one that may move regions, and it does not while threads work.
   */
  static attach(wasm: WebAssembly.Memory, regions: Iterable<readonly [string, number, number]>): LinearMemory {
    const memory = new LinearMemory('reference');
    (memory as { wasm: WebAssembly.Memory | null }).wasm = wasm;
    memory.#plain = null;
    memory.#attached = true;
    for (const [name, ptr, bytes] of regions) {
      memory.#regions.set(name, { ptr, bytes });
      memory.#order.push(name);
    }
    return memory;
  }

  /** Every region as (name, pointer, bytes), in layout order: what `attach` takes. */
  regions(): [string, number, number][] {
    return this.#order.map((name) => [name, this.#regions.get(name)!.ptr, this.#regions.get(name)!.bytes]);
  }

  get buffer(): ArrayBuffer {
    return this.wasm ? (this.wasm.buffer as ArrayBuffer) : this.#plain!;
  }

  /** Bytes of the linear memory itself (regions plus alignment and unused tail). */
  get reservedBytes(): number {
    return this.buffer.byteLength;
  }

  /** Declares regions, in layout order, all empty. */
  declare(...names: string[]): void {
    for (const name of names) {
      if (this.#regions.has(name)) continue;
      const last = this.#order[this.#order.length - 1];
      const end = last ? this.#end(last) : ALIGN; // pointer 0 stays unused
      this.#regions.set(name, { ptr: end, bytes: 0 });
      this.#order.push(name);
    }
  }

  ptr(name: string): number {
    return this.#region(name).ptr;
  }

  size(name: string): number {
    return this.#region(name).bytes;
  }

  /** Sum of the regions' sizes whose names pass `include`. */
  bytesOf(include: (name: string) => boolean): number {
    let total = 0;
    for (const [name, region] of this.#regions) if (include(name)) total += region.bytes;
    return total;
  }

  /**
   * Sets a region's size, keeping its first min(old, new) bytes and zeroing any new bytes; later
   * regions move with their contents.
   */
  resize(name: string, bytes: number): void {
    const region = this.#region(name);
    if (aligned(bytes) === aligned(region.bytes)) {
      if (bytes > region.bytes) new Uint8Array(this.buffer, region.ptr + region.bytes, bytes - region.bytes).fill(0);
      region.bytes = bytes;
      return;
    }
    if (this.#attached) throw new Error(`LinearMemory: region "${name}" of an attached memory cannot be resized (${region.bytes} → ${bytes} bytes)`);
    const index = this.#order.indexOf(name);
    const delta = aligned(bytes) - aligned(region.bytes);
    const lastName = this.#order[this.#order.length - 1]!;
    const oldEnd = this.#end(lastName);
    this.#ensure(oldEnd + Math.max(0, delta));
    const buffer = new Uint8Array(this.buffer);
    const tailStart = region.ptr + aligned(region.bytes);
    // Move the later regions as one block; copyWithin handles the overlap in either direction.
    if (index < this.#order.length - 1) buffer.copyWithin(tailStart + delta, tailStart, oldEnd);
    for (const later of this.#order.slice(index + 1)) this.#regions.get(later)!.ptr += delta;
    if (bytes > region.bytes) buffer.fill(0, region.ptr + region.bytes, region.ptr + bytes);
    region.bytes = bytes;
  }

  /** Grows a region to at least `bytes` (doubling), for scratch that only ever needs more. */
  reserve(name: string, bytes: number): void {
    const region = this.#region(name);
    if (region.bytes >= bytes) return;
    this.resize(name, Math.max(bytes, region.bytes * 2));
  }

  f32(name: string, length?: number): Float32Array {
    const r = this.#region(name);
    return new Float32Array(this.buffer, r.ptr, length ?? r.bytes >>> 2);
  }
  i32(name: string, length?: number): Int32Array {
    const r = this.#region(name);
    return new Int32Array(this.buffer, r.ptr, length ?? r.bytes >>> 2);
  }
  u32(name: string, length?: number): Uint32Array {
    const r = this.#region(name);
    return new Uint32Array(this.buffer, r.ptr, length ?? r.bytes >>> 2);
  }
  u16(name: string, length?: number): Uint16Array {
    const r = this.#region(name);
    return new Uint16Array(this.buffer, r.ptr, length ?? r.bytes >>> 1);
  }
  i16(name: string, length?: number): Int16Array {
    const r = this.#region(name);
    return new Int16Array(this.buffer, r.ptr, length ?? r.bytes >>> 1);
  }
  u8(name: string, length?: number): Uint8Array {
    const r = this.#region(name);
    return new Uint8Array(this.buffer, r.ptr, length ?? r.bytes);
  }

  #region(name: string): Region {
    const region = this.#regions.get(name);
    if (!region) throw new Error(`LinearMemory: no region "${name}"`);
    return region;
  }

  #end(name: string): number {
    const r = this.#regions.get(name)!;
    return r.ptr + aligned(r.bytes);
  }

  #ensure(bytes: number): void {
    const have = this.buffer.byteLength;
    if (bytes <= have) return;
    const want = Math.max(bytes, Math.min(have * 2, have + 256 * 1024 * 1024));
    if (this.wasm) this.wasm.grow(Math.ceil((want - have) / PAGE));
    else {
      const next = new ArrayBuffer(Math.ceil(want / PAGE) * PAGE);
      new Uint8Array(next).set(new Uint8Array(this.#plain!));
      this.#plain = next;
    }
  }
}
