import type { Launch, Specs, UniformType, UniformValue, WgslContext, WgslProgram } from '../kernel.js';

/**
 * Convolutions as implicit matrix products (no im2col buffer): out[g][row, col] = Σ_t a(g, row, t)·b(g, t, col),
 * where the kernel's `a_at(g, row, t)` and `b_at(g, t, col)` read its tensors through the window
 * arithmetic (called only inside the product's bounds) and `store(g, row, col, value)` writes one
 * result. A 16×16 workgroup computes a tile of [row, col], each invocation a block of it spread 16
 * apart (neighbouring invocations touch neighbouring addresses), with a and b streamed through
 * workgroup memory DEPTH deep along t; `g` (a convolution group) is the z of the grid.
 *
 * The tile follows the product's proportions, since a convolution's can be very narrow (the input
 * gradient of an RGB stem has 3 columns, a weight gradient of few filters few rows): 64×64 (4×4
 * per invocation) in general, 256×16 (16×1) for at most 16 columns, 16×256 (1×16) for at most 16
 * rows. The narrow tiles stream 8 deep to stay within 16 KiB of workgroup memory.
 */
export interface GemmDims {
  readonly groups: number;
  readonly rows: number;
  readonly cols: number;
  readonly depth: number;
}

interface Tile {
  readonly name: string;
  readonly rowsPerThread: number;
  readonly colsPerThread: number;
  readonly depth: number;
}

const SQUARE: Tile = { name: 'square', rowsPerThread: 4, colsPerThread: 4, depth: 16 };
const TALL: Tile = { name: 'tall', rowsPerThread: 16, colsPerThread: 1, depth: 8 };
const WIDE: Tile = { name: 'wide', rowsPerThread: 1, colsPerThread: 16, depth: 8 };

function tileFor({ rows, cols }: GemmDims): Tile {
  if (cols <= 16 && rows > cols) return TALL;
  if (rows <= 16 && cols > rows) return WIDE;
  return SQUARE;
}

export interface ImplicitGemmSpec<I extends string, O extends string, A> {
  dims(inputs: Specs<I>, attrs: A): GemmDims;
  readonly uniforms: Readonly<Record<string, UniformType>>;
  uniformValues(inputs: Specs<I>, attrs: A): Readonly<Record<string, UniformValue>>;
  /** Defines a_at, b_at and store (and any helpers they use). */
  declarations(ctx: WgslContext<I, A>): string;
}

/** WGSL statements that fill `tile` (`elements` values) from `read`, 256 invocations at a time (`load_rounds_a|b` rounds). */
function loadTile(tile: string, elements: number, index: string, guard: string, read: string): string {
  const fill = `let idx = lindex + l * 256u;
        ${index}
        var v = 0.0;
        if (${guard}) { v = ${read}; }
        ${tile} = v;`;
  // The bound comes from a uniform so that the compiler keeps the loop rolled: unrolled, every
  // round inlines the kernel's index arithmetic, and lavapipe's compile time grows several-fold.
  return `    for (var l = 0u; l < params.load_rounds_${tile.slice(0, 1)}; l++) {
      ${elements % 256 === 0 ? `{
        ${fill}
      }` : `if (lindex + l * 256u < ${elements}u) {
        ${fill}
      }`}
    }`;
}

export function implicitGemmWgsl<I extends string, O extends string, A>(spec: ImplicitGemmSpec<I, O, A>): WgslProgram<I, O, A> {
  return {
    workgroupSize: [16, 16, 1],
    key: (attrs, inputs) => tileFor(spec.dims(inputs, attrs)).name,
    uniforms: { ...spec.uniforms, gemm_rows: 'u32', gemm_cols: 'u32', gemm_depth: 'u32', load_rounds_a: 'u32', load_rounds_b: 'u32' },
    uniformValues: (inputs, attrs) => {
      const d = spec.dims(inputs, attrs);
      const tile = tileFor(d);
      const rounds = (elements: number) => Math.ceil(elements / 256);
      return {
        ...spec.uniformValues(inputs, attrs),
        gemm_rows: d.rows,
        gemm_cols: d.cols,
        gemm_depth: d.depth,
        load_rounds_a: rounds(16 * tile.rowsPerThread * tile.depth),
        load_rounds_b: rounds(16 * tile.colsPerThread * tile.depth),
      };
    },
    launch: (inputs, attrs): Launch => {
      const d = spec.dims(inputs, attrs);
      const tile = tileFor(d);
      return { kind: 'workgroups', count: [Math.ceil(d.cols / (16 * tile.colsPerThread)), Math.ceil(d.rows / (16 * tile.rowsPerThread)), d.groups] };
    },
    declarations: (ctx) => {
      const tile = tileFor(spec.dims(ctx.inputs, ctx.attrs));
      const [tileRows, tileCols] = [16 * tile.rowsPerThread, 16 * tile.colsPerThread];
      return `
const RPT = ${tile.rowsPerThread}u;
const CPT = ${tile.colsPerThread}u;
const TILE_ROWS = ${tileRows}u;
const TILE_COLS = ${tileCols}u;
const DEPTH = ${tile.depth}u;
var<workgroup> a_tile: array<f32, ${tileRows * tile.depth}>; // [DEPTH][TILE_ROWS]
var<workgroup> b_tile: array<f32, ${tile.depth * tileCols}>; // [DEPTH][TILE_COLS]
${spec.declarations(ctx)}`;
    },
    body: (ctx) => {
      const tile = tileFor(spec.dims(ctx.inputs, ctx.attrs));
      const [tileRows, tileCols] = [16 * tile.rowsPerThread, 16 * tile.colsPerThread];
      return `
  let g = wid.z;
  let row0 = wid.y * TILE_ROWS;
  let col0 = wid.x * TILE_COLS;
  var acc: array<f32, ${tile.rowsPerThread * tile.colsPerThread}>;
  for (var t = 0u; t < params.gemm_depth; t += DEPTH) {
${loadTile('a_tile[ad * TILE_ROWS + ar]', tileRows * tile.depth, 'let ar = idx / DEPTH;\n        let ad = idx % DEPTH;', 'row0 + ar < params.gemm_rows && t + ad < params.gemm_depth', 'a_at(g, row0 + ar, t + ad)')}
${loadTile('b_tile[bd * TILE_COLS + bc]', tile.depth * tileCols, 'let bd = idx / TILE_COLS;\n        let bc = idx % TILE_COLS;', 't + bd < params.gemm_depth && col0 + bc < params.gemm_cols', 'b_at(g, t + bd, col0 + bc)')}
    workgroupBarrier();
    for (var d = 0u; d < DEPTH; d++) {
      var av: array<f32, RPT>;
      var bv: array<f32, CPT>;
      for (var r = 0u; r < RPT; r++) { av[r] = a_tile[d * TILE_ROWS + lid.y + r * 16u]; }
      for (var c = 0u; c < CPT; c++) { bv[c] = b_tile[d * TILE_COLS + lid.x + c * 16u]; }
      for (var r = 0u; r < RPT; r++) {
        for (var c = 0u; c < CPT; c++) { acc[r * CPT + c] = fma(av[r], bv[c], acc[r * CPT + c]); }
      }
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < RPT; r++) {
    let row = row0 + lid.y + r * 16u;
    for (var c = 0u; c < CPT; c++) {
      let col = col0 + lid.x + c * 16u;
      if (row < params.gemm_rows && col < params.gemm_cols) { store(g, row, col, acc[r * CPT + c]); }
    }
  }`;
    },
  };
}
