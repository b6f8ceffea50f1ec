import type { WgslProgram } from '../../kernel.js';
import { TILE_PRODUCT_WGSL } from '../../kernels-shared/tile-product.wgsl.js';
import { matmulDims, type MatmulAttrs } from './matmul.shape.js';

// Each 16×16 workgroup computes a 64×64 output tile, each invocation a 4×4 block of it spread
// 16 apart (so neighbouring invocations touch neighbouring addresses). A and B stream through
// workgroup memory 16 deep along K.
const TILE = 64;
const DEPTH = 16;

export const matmulWgsl: WgslProgram<'a' | 'b', 'out', MatmulAttrs> = {
  workgroupSize: [16, 16, 1],
  key: ({ transposeA = false, transposeB = false }) => `ta=${transposeA},tb=${transposeB}`,
  uniforms: { m: 'u32', n: 'u32', k: 'u32', a_batch_stride: 'u32', b_batch_stride: 'u32' },
  uniformValues: (inputs, attrs) => {
    const d = matmulDims(inputs, attrs);
    return { m: d.m, n: d.n, k: d.k, a_batch_stride: d.aBatchStride, b_batch_stride: d.bBatchStride };
  },
  launch: (inputs, attrs) => {
    const d = matmulDims(inputs, attrs);
    return { kind: 'workgroups', count: [Math.ceil(d.n / TILE), Math.ceil(d.m / TILE), d.batch] };
  },
  declarations: ({ attrs: { transposeA = false, transposeB = false } }) => `
const TILE = ${TILE}u;
const DEPTH = ${DEPTH}u;
var<workgroup> a_tile: array<f32, ${TILE * DEPTH}>; // [DEPTH][TILE]
var<workgroup> b_tile: array<f32, ${TILE * DEPTH}>; // [DEPTH][TILE]

fn a_at(batch: u32, row: u32, col: u32) -> f32 {
  if (row >= params.m || col >= params.k) { return 0.0; }
  return load_a(batch * params.a_batch_stride + ${transposeA ? 'col * params.m + row' : 'row * params.k + col'});
}

fn b_at(batch: u32, row: u32, col: u32) -> f32 {
  if (row >= params.k || col >= params.n) { return 0.0; }
  return load_b(batch * params.b_batch_stride + ${transposeB ? 'col * params.k + row' : 'row * params.n + col'});
}`,
  body: () => `
  let batch = wid.z;
  let row0 = wid.y * TILE;
  let col0 = wid.x * TILE;
  var acc: array<f32, 16>;
  for (var t = 0u; t < params.k; t += DEPTH) {
    for (var l = 0u; l < 4u; l++) {
      let idx = lindex + l * 256u;
      // A tile: 64 rows × 16 deep; B tile: 16 deep × 64 columns.
      let ar = idx / DEPTH;
      let ad = idx % DEPTH;
      a_tile[ad * TILE + ar] = a_at(batch, row0 + ar, t + ad);
      let bd = idx / TILE;
      let bc = idx % TILE;
      b_tile[bd * TILE + bc] = b_at(batch, t + bd, col0 + bc);
    }
    workgroupBarrier();
${TILE_PRODUCT_WGSL}
    workgroupBarrier();
  }
  let out_base = batch * params.m * params.n;
  for (var r = 0u; r < 4u; r++) {
    let row = row0 + lid.y + r * 16u;
    for (var c = 0u; c < 4u; c++) {
      let col = col0 + lid.x + c * 16u;
      if (row < params.m && col < params.n) { out[out_base + row * params.n + col] = acc[r * 4u + c]; }
    }
  }`,
};
