import type { Launch, Specs, UniformType, UniformValue, WgslContext, WgslProgram } from '../kernel.js';
import { TILE_PRODUCT_WGSL } from './tile-product.wgsl.js';

/**
 * Convolutions as implicit matrix products (no im2col buffer): out[g][row, col] = Σ_t a(g, row, t)·b(g, t, col),
 * where the kernel's `a_at(g, row, t)` and `b_at(g, t, col)` read its tensors through the window
 * arithmetic and return 0 outside, and `store(g, row, col, value)` writes one result. The tiling is
 * matmul's: a 16×16 workgroup computes a 64×64 tile of [row, col], each invocation a 4×4 block,
 * with a and b streamed through workgroup memory 16 deep along t; `g` (a convolution group) is the
 * z of the grid.
 */
const TILE = 64;
const DEPTH = 16;

export interface GemmDims {
  readonly groups: number;
  readonly rows: number;
  readonly cols: number;
  readonly depth: number;
}

export interface ImplicitGemmSpec<I extends string, O extends string, A> {
  dims(inputs: Specs<I>, attrs: A): GemmDims;
  readonly uniforms: Readonly<Record<string, UniformType>>;
  uniformValues(inputs: Specs<I>, attrs: A): Readonly<Record<string, UniformValue>>;
  /** Defines a_at, b_at and store (and any helpers they use). */
  declarations(ctx: WgslContext<I, A>): string;
}

export function implicitGemmWgsl<I extends string, O extends string, A>(spec: ImplicitGemmSpec<I, O, A>): WgslProgram<I, O, A> {
  return {
    workgroupSize: [16, 16, 1],
    uniforms: { ...spec.uniforms, gemm_rows: 'u32', gemm_cols: 'u32', gemm_depth: 'u32' },
    uniformValues: (inputs, attrs) => {
      const d = spec.dims(inputs, attrs);
      return { ...spec.uniformValues(inputs, attrs), gemm_rows: d.rows, gemm_cols: d.cols, gemm_depth: d.depth };
    },
    launch: (inputs, attrs): Launch => {
      const d = spec.dims(inputs, attrs);
      return { kind: 'workgroups', count: [Math.ceil(d.cols / TILE), Math.ceil(d.rows / TILE), d.groups] };
    },
    declarations: (ctx) => `
const TILE = ${TILE}u;
const DEPTH = ${DEPTH}u;
var<workgroup> a_tile: array<f32, ${TILE * DEPTH}>; // [DEPTH][TILE]
var<workgroup> b_tile: array<f32, ${TILE * DEPTH}>; // [DEPTH][TILE]
${spec.declarations(ctx)}`,
    body: () => `
  let g = wid.z;
  let row0 = wid.y * TILE;
  let col0 = wid.x * TILE;
  var acc: array<f32, 16>;
  for (var t = 0u; t < params.gemm_depth; t += DEPTH) {
    for (var l = 0u; l < 4u; l++) {
      let idx = lindex + l * 256u;
      let ar = idx / DEPTH;
      let ad = idx % DEPTH;
      var av = 0.0;
      if (row0 + ar < params.gemm_rows && t + ad < params.gemm_depth) { av = a_at(g, row0 + ar, t + ad); }
      a_tile[ad * TILE + ar] = av;
      let bd = idx / TILE;
      let bc = idx % TILE;
      var bv = 0.0;
      if (t + bd < params.gemm_depth && col0 + bc < params.gemm_cols) { bv = b_at(g, t + bd, col0 + bc); }
      b_tile[bd * TILE + bc] = bv;
    }
    workgroupBarrier();
${TILE_PRODUCT_WGSL}
    workgroupBarrier();
  }
  for (var r = 0u; r < 4u; r++) {
    let row = row0 + lid.y + r * 16u;
    for (var c = 0u; c < 4u; c++) {
      let col = col0 + lid.x + c * 16u;
      if (row < params.gemm_rows && col < params.gemm_cols) { store(g, row, col, acc[r * 4u + c]); }
    }
  }`,
  };
}
