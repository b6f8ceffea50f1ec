import type { DType, TypedArray } from './dtype.js';
import type { Shape } from './shape.js';

/** Shape and element type of a kernel's input or output, known before any data is touched. */
export interface TensorSpec {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** A CPU-side input of a kernel: the values and their spec. */
export interface HostTensor extends TensorSpec {
  readonly data: TypedArray;
}

export type Specs<N extends string> = { readonly [K in N]: TensorSpec };
export type HostTensors<N extends string> = { readonly [K in N]: HostTensor };
export type OutputArrays<N extends string> = { readonly [K in N]: TypedArray };

/** Scalar types a uniform field can have; `vec4f` carries up to four per-channel values. */
export type UniformType = 'u32' | 'i32' | 'f32' | 'vec4f';
export type UniformValue = number | readonly number[];

/**
 * How the WebGPU side of a kernel is launched.
 * - `elementwise`: one invocation per index `i` in [0, invocations); the assembler adds the bounds
 *   guard and spreads large launches over two dispatch dimensions.
 * - `workgroups`: the kernel chooses the workgroup grid and guards bounds itself (tiled kernels
 *   that use workgroup memory and barriers, where an early return would break uniform control flow).
 */
export type Launch =
  | { readonly kind: 'elementwise'; readonly invocations: number }
  | { readonly kind: 'workgroups'; readonly count: readonly [number, number, number] };

/** What a WGSL body may rely on: the input dtypes and the init-time key it was built for. */
export interface WgslContext<I extends string, A> {
  readonly inputs: Specs<I>;
  readonly attrs: A;
}

export interface WgslProgram<I extends string, O extends string, A> {
  readonly workgroupSize: readonly [number, number, number];
  /**
   * Everything besides input dtypes that changes the shader text (a transpose flag, a tile size, an
   * op). Shapes never belong here: they go in uniforms, so one compiled pipeline serves every shape;
   * at most a kernel keys a few classes of shapes (the tile proportions of a convolution's product).
   */
  key?(attrs: A, inputs: Specs<I>): string;
  /** The uniform struct's fields, in order. */
  readonly uniforms: Readonly<Record<string, UniformType>>;
  uniformValues(inputs: Specs<I>, attrs: A, outputs: Specs<O>): Readonly<Record<string, UniformValue>>;
  launch(inputs: Specs<I>, attrs: A, outputs: Specs<O>): Launch;
  /** Helper functions and workgroup variables placed before `main`. */
  declarations?(ctx: WgslContext<I, A>): string;
  /**
   * Statements of `main`. Available: `params` (the uniforms), `load_<input>(i): f32`,
   * `raw_<input>(i)` (the native scalar: f32, i32 or u32), the output arrays by name, and
   * `i: u32` (elementwise) or `gid`, `lid`, `wid: vec3<u32>` (workgroups).
   */
  body(ctx: WgslContext<I, A>): string;
}

/**
 * One compute kernel: a typed descriptor, a CPU reference (the oracle) and a WGSL builder.
 * One kernel is one folder under compute/kernels/<name>/.
 */
export interface KernelDef<I extends string = string, O extends string = string, A = unknown> {
  readonly name: string;
  readonly description: string;
  /** Input names in binding order, with the dtypes each accepts. */
  readonly inputs: Readonly<Record<I, readonly DType[]>>;
  /** Validates shapes and attributes and gives the outputs' specs; throws ShapeError on misuse. */
  outputs(inputs: Specs<I>, attrs: A): Specs<O>;
  /** The CPU reference: plain loops over typed arrays, writing into preallocated outputs. */
  cpu(inputs: HostTensors<I>, attrs: A, outputs: OutputArrays<O>): void;
  readonly wgsl: WgslProgram<I, O, A>;
  /**
   * Largest accepted error of WebGPU against the CPU reference, as |got − want| / max(1, |want|)
   * (relative for large values, absolute below 1). 0 means exact (integer outputs).
   */
  readonly tolerance: number;
}

// Kernels are stored in one registry whatever their input/attr types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKernel = KernelDef<string, string, any>;

/** A worked case of a kernel's case table: inputs, attributes and the exact expected outputs. */
export interface KernelCase<A = unknown> {
  readonly name: string;
  readonly inputs: Readonly<Record<string, { shape: Shape; dtype: DType; data: readonly number[] | TypedArray }>>;
  readonly attrs: A;
  readonly expected: Readonly<Record<string, readonly number[] | TypedArray>>;
}

/** A kernel's case table plus its seeded random inputs, used to compare WebGPU with the CPU reference. */
export interface KernelCases<A = unknown> {
  readonly kernel: KernelDef<string, string, A>;
  readonly cases: readonly KernelCase<A>[];
  /** Random inputs for a seed, of sizes that cross workgroup and tile edges. */
  random(rng: import('./random.js').Rng): readonly Omit<KernelCase<A>, 'expected'>[];
}
