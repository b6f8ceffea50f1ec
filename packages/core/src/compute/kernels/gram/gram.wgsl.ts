import type { WgslProgram } from '../../kernel.js';
import { TILE_PRODUCT_WGSL } from '../../kernels-shared/tile-product.wgsl.js';
import { GRAM_TILE, gramDims, type GramAttrs } from './gram.shape.js';

const DEPTH = 16;

// Like matmul's 64×64 tiles (16×16 invocations, 4×4 outputs each, spread 16 apart), with both
// operands the centered x streamed 16 rows at a time. Only tiles on or above the diagonal are
// launched — half the work — and each writes its mirror too. A diagonal tile computes (i, j) and
// (j, i) with the same operands in the same order, so the result is exactly symmetric.
export const gramWgsl: WgslProgram<'x' | 'center', 'out', GramAttrs> = {
  workgroupSize: [16, 16, 1],
  uniforms: { rows: 'u32', cols: 'u32', tiles: 'u32' },
  uniformValues: (inputs) => {
    const { rows, cols, tiles } = gramDims(inputs);
    return { rows, cols, tiles };
  },
  launch: (inputs) => {
    const { tiles } = gramDims(inputs);
    return { kind: 'workgroups', count: [(tiles * (tiles + 1)) / 2, 1, 1] };
  },
  declarations: () => `
const TILE = ${GRAM_TILE}u;
const DEPTH = ${DEPTH}u;
var<workgroup> a_tile: array<f32, ${GRAM_TILE * DEPTH}>; // [DEPTH][TILE]: columns of the tile's rows
var<workgroup> b_tile: array<f32, ${GRAM_TILE * DEPTH}>; // [DEPTH][TILE]: columns of the tile's columns

fn centered(row: u32, col: u32) -> f32 {
  if (row >= params.rows || col >= params.cols) { return 0.0; }
  return load_x(row * params.cols + col) - load_center(col);
}`,
  body: () => `
  // Workgroup index → tile (ti, tj) with ti ≤ tj, row by row through the upper triangle.
  var t = wid.x;
  var ti = 0u;
  var remaining = params.tiles;
  while (t >= remaining) {
    t -= remaining;
    ti++;
    remaining--;
  }
  let tj = ti + t;
  let row0 = ti * TILE;
  let col0 = tj * TILE;
  var acc: array<f32, 16>;
  for (var s = 0u; s < params.rows; s += DEPTH) {
    for (var l = 0u; l < 4u; l++) {
      let idx = lindex + l * 256u;
      let d = idx / TILE;
      let c = idx % TILE;
      a_tile[d * TILE + c] = centered(s + d, row0 + c);
      b_tile[d * TILE + c] = centered(s + d, col0 + c);
    }
    workgroupBarrier();
${TILE_PRODUCT_WGSL}
    workgroupBarrier();
  }
  for (var r = 0u; r < 4u; r++) {
    let row = row0 + lid.y + r * 16u;
    for (var c = 0u; c < 4u; c++) {
      let col = col0 + lid.x + c * 16u;
      if (row < params.cols && col < params.cols) {
        out[row * params.cols + col] = acc[r * 4u + c];
        if (ti != tj) { out[col * params.cols + row] = acc[r * 4u + c]; }
      }
    }
  }`,
};
