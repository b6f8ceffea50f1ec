/**
 * A tiny WebAssembly binary encoder: just enough to emit SIMD kernels at run time, specialised to
 * their shape (the vector indexes' scans and graph walks, one module per dimension) — no
 * toolchain, no prebuilt binaries. It writes the MVP binary format plus the fixed-width SIMD
 * (v128) instructions; it does not validate — `WebAssembly.validate` and the kernel tests do.
 */

export type ValueType = 'i32' | 'i64' | 'f32' | 'v128';
const VALUE_TYPE: Record<ValueType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, v128: 0x7b };

function uleb(value: number, out: number[]): void {
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

function sleb(value: number, out: number[]): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

/** Appends without spreading: kernel bodies can exceed the engine's argument-count limit. */
function append(out: number[], bytes: ArrayLike<number>): void {
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i]!);
}

function name(text: string, out: number[]): void {
  const bytes = new TextEncoder().encode(text);
  uleb(bytes.length, out);
  append(out, bytes);
}

/** SIMD opcodes (after the 0xfd prefix), from the WebAssembly SIMD binary encoding. */
const SIMD = {
  'v128.load': 0x00,
  'v128.load8x8_u': 0x02,
  'v128.load16x4_u': 0x04,
  'v128.load32_splat': 0x09,
  'v128.store': 0x0b,
  'v128.const': 0x0c,
  'i32x4.splat': 0x11,
  'f32x4.splat': 0x13,
  'f32x4.extract_lane': 0x1f,
  'i32x4.eq': 0x37,
  'f32x4.gt': 0x44,
  'v128.and': 0x4e,
  'v128.andnot': 0x4f,
  'v128.or': 0x50,
  'v128.any_true': 0x53,
  'i32x4.shl': 0xab,
  'i32x4.add': 0xae,
  'i32x4.dot_i16x8_s': 0xba,
  'f32x4.add': 0xe4,
  'f32x4.sub': 0xe5,
  'f32x4.mul': 0xe6,
  'f32x4.abs': 0xe0,
  'f32x4.convert_i32x4_s': 0xfa,
} as const;

/** One-byte instructions without immediates (MVP opcodes). */
const PLAIN = {
  unreachable: 0x00,
  return: 0x0f,
  drop: 0x1a,
  select: 0x1b,
  'i32.eqz': 0x45,
  'i32.eq': 0x46,
  'i32.ne': 0x47,
  'i32.lt_s': 0x48,
  'i32.lt_u': 0x49,
  'i32.gt_s': 0x4a,
  'i32.gt_u': 0x4b,
  'i32.le_s': 0x4c,
  'i32.le_u': 0x4d,
  'i32.ge_s': 0x4e,
  'i32.ge_u': 0x4f,
  'f32.eq': 0x5b,
  'f32.ne': 0x5c,
  'f32.lt': 0x5d,
  'f32.gt': 0x5e,
  'f32.le': 0x5f,
  'f32.ge': 0x60,
  'i32.add': 0x6a,
  'i32.sub': 0x6b,
  'i32.mul': 0x6c,
  'i32.and': 0x71,
  'i32.or': 0x72,
  'i32.shl': 0x74,
  'i32.shr_s': 0x75,
  'i32.shr_u': 0x76,
  'f32.neg': 0x8c,
  'f32.add': 0x92,
  'f32.sub': 0x93,
  'f32.mul': 0x94,
} as const;

/** Scalar loads and stores: opcode and natural alignment (log2). */
const MEMORY = {
  'i32.load': [0x28, 2],
  'i64.load': [0x29, 3],
  'f32.load': [0x2a, 2],
  'i32.load8_u': [0x2d, 0],
  'i32.load16_u': [0x2f, 1],
  'i32.store': [0x36, 2],
  'i64.store': [0x37, 3],
  'f32.store': [0x38, 2],
  'i32.store8': [0x3a, 0],
  'i32.store16': [0x3b, 1],
} as const;

/** A function body under construction: locals plus an instruction stream. */
export class Code {
  readonly bytes: number[] = [];
  readonly #params: readonly ValueType[];
  readonly #locals: ValueType[] = [];

  constructor(params: readonly ValueType[]) {
    this.#params = params;
  }

  /** Declares a local and returns its index (parameters come first). */
  local(type: ValueType): number {
    this.#locals.push(type);
    return this.#params.length + this.#locals.length - 1;
  }

  localGet(index: number): this {
    this.bytes.push(0x20);
    uleb(index, this.bytes);
    return this;
  }
  localSet(index: number): this {
    this.bytes.push(0x21);
    uleb(index, this.bytes);
    return this;
  }
  localTee(index: number): this {
    this.bytes.push(0x22);
    uleb(index, this.bytes);
    return this;
  }
  i32Const(value: number): this {
    this.bytes.push(0x41);
    sleb(value, this.bytes);
    return this;
  }
  f32Const(value: number): this {
    this.bytes.push(0x43, ...new Uint8Array(Float32Array.of(value).buffer));
    return this;
  }
  /** A plain one-byte instruction. */
  op(name: keyof typeof PLAIN): this {
    this.bytes.push(PLAIN[name]);
    return this;
  }
  /** Scalar memory access; `align` is log2 of the alignment (natural by default). */
  mem(name: keyof typeof MEMORY, offset = 0, align?: number): this {
    const [opcode, natural] = MEMORY[name];
    this.bytes.push(opcode);
    uleb(align ?? natural, this.bytes);
    uleb(offset, this.bytes);
    return this;
  }
  /** A SIMD instruction without immediates. */
  simd(name: Exclude<keyof typeof SIMD, 'v128.load' | 'v128.load8x8_u' | 'v128.load16x4_u' | 'v128.load32_splat' | 'v128.store' | 'v128.const' | 'f32x4.extract_lane'>): this {
    this.bytes.push(0xfd);
    uleb(SIMD[name], this.bytes);
    return this;
  }
  /** A SIMD memory instruction with its memarg (`align` is log2 of the alignment). */
  simdMem(name: 'v128.load' | 'v128.load8x8_u' | 'v128.load16x4_u' | 'v128.load32_splat' | 'v128.store', offset = 0, align?: number): this {
    const natural = { 'v128.load': 4, 'v128.load8x8_u': 3, 'v128.load16x4_u': 3, 'v128.load32_splat': 2, 'v128.store': 4 }[name];
    this.bytes.push(0xfd);
    uleb(SIMD[name], this.bytes);
    uleb(align ?? natural, this.bytes);
    uleb(offset, this.bytes);
    return this;
  }
  v128Const(lanes: Int32Array | Float32Array): this {
    this.bytes.push(0xfd);
    uleb(SIMD['v128.const'], this.bytes);
    this.bytes.push(...new Uint8Array(lanes.buffer, lanes.byteOffset, 16));
    return this;
  }
  f32x4ExtractLane(lane: number): this {
    this.bytes.push(0xfd);
    uleb(SIMD['f32x4.extract_lane'], this.bytes);
    this.bytes.push(lane);
    return this;
  }
  call(functionIndex: number): this {
    this.bytes.push(0x10);
    uleb(functionIndex, this.bytes);
    return this;
  }
  /** block / loop / if with no result; close with `end()`. Branch depths count outward from 0. */
  block(): this {
    this.bytes.push(0x02, 0x40);
    return this;
  }
  loop(): this {
    this.bytes.push(0x03, 0x40);
    return this;
  }
  if(): this {
    this.bytes.push(0x04, 0x40);
    return this;
  }
  else(): this {
    this.bytes.push(0x05);
    return this;
  }
  end(): this {
    this.bytes.push(0x0b);
    return this;
  }
  br(depth: number): this {
    this.bytes.push(0x0c);
    uleb(depth, this.bytes);
    return this;
  }
  brIf(depth: number): this {
    this.bytes.push(0x0d);
    uleb(depth, this.bytes);
    return this;
  }

  /** The encoded body: local declarations, instructions, final `end`. */
  encode(): number[] {
    const out: number[] = [];
    const groups: [number, ValueType][] = [];
    for (const type of this.#locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === type) last[0]++;
      else groups.push([1, type]);
    }
    uleb(groups.length, out);
    for (const [count, type] of groups) {
      uleb(count, out);
      out.push(VALUE_TYPE[type]);
    }
    append(out, this.bytes);
    out.push(0x0b);
    return out;
  }
}

interface FunctionSpec {
  readonly name: string;
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
  readonly code: Code;
}

interface ImportedFunction {
  readonly module: string;
  readonly field: string;
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
}

/** The maximum of a shared memory: all of wasm32's 4 GiB (only address space is reserved). */
export const SHARED_MEMORY_MAX_PAGES = 65536;

/** A module that imports its memory (`env.memory`) and optionally host functions, and exports functions. */
export class ModuleBuilder {
  readonly #imports: ImportedFunction[] = [];
  readonly #functions: FunctionSpec[] = [];
  /** A shared memory (threads over one SharedArrayBuffer) must be imported as shared, with a maximum. */
  readonly #sharedMemory: boolean;

  constructor(options: { sharedMemory?: boolean } = {}) {
    this.#sharedMemory = options.sharedMemory ?? false;
  }

  /** Declares an imported function; returns its function index. Declare imports before functions. */
  importFunction(module: string, field: string, params: readonly ValueType[], results: readonly ValueType[]): number {
    if (this.#functions.length > 0) throw new Error('ModuleBuilder: declare imports before functions');
    this.#imports.push({ module, field, params, results });
    return this.#imports.length - 1;
  }

  /** Starts an exported function; fill the returned Code. */
  addFunction(name: string, params: readonly ValueType[], results: readonly ValueType[] = []): Code {
    const code = new Code(params);
    this.#functions.push({ name, params, results, code });
    return code;
  }

  encode(): Uint8Array {
    const types: string[] = [];
    const typeIndex = (params: readonly ValueType[], results: readonly ValueType[]): number => {
      const key = `${params.join(',')}>${results.join(',')}`;
      let index = types.indexOf(key);
      if (index < 0) index = types.push(key) - 1;
      return index;
    };
    const importTypes = this.#imports.map((f) => typeIndex(f.params, f.results));
    const functionTypes = this.#functions.map((f) => typeIndex(f.params, f.results));

    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const section = (id: number, body: number[]): void => {
      out.push(id);
      uleb(body.length, out);
      append(out, body);
    };

    const typeSection: number[] = [];
    uleb(types.length, typeSection);
    for (const key of types) {
      const [params, results] = key.split('>').map((list) => (list ? (list.split(',') as ValueType[]) : []));
      typeSection.push(0x60);
      uleb(params!.length, typeSection);
      for (const p of params!) typeSection.push(VALUE_TYPE[p]);
      uleb(results!.length, typeSection);
      for (const r of results!) typeSection.push(VALUE_TYPE[r]);
    }
    section(1, typeSection);

    const importSection: number[] = [];
    uleb(this.#imports.length + 1, importSection);
    name('env', importSection);
    name('memory', importSection);
    if (this.#sharedMemory) {
      importSection.push(0x02, 0x03, 0x01); // shared memory, at least 1 page, at most SHARED_MEMORY_MAX_PAGES
      uleb(SHARED_MEMORY_MAX_PAGES, importSection);
    } else importSection.push(0x02, 0x00, 0x01); // memory, limits without maximum, at least 1 page
    this.#imports.forEach((f, i) => {
      name(f.module, importSection);
      name(f.field, importSection);
      importSection.push(0x00);
      uleb(importTypes[i]!, importSection);
    });
    section(2, importSection);

    const functionSection: number[] = [];
    uleb(functionTypes.length, functionSection);
    for (const t of functionTypes) uleb(t, functionSection);
    section(3, functionSection);

    const exportSection: number[] = [];
    uleb(this.#functions.length, exportSection);
    this.#functions.forEach((f, i) => {
      name(f.name, exportSection);
      exportSection.push(0x00);
      uleb(this.#imports.length + i, exportSection);
    });
    section(7, exportSection);

    const codeSection: number[] = [];
    uleb(this.#functions.length, codeSection);
    for (const f of this.#functions) {
      const body = f.code.encode();
      uleb(body.length, codeSection);
      append(codeSection, body);
    }
    section(10, codeSection);
    return Uint8Array.from(out);
  }
}
