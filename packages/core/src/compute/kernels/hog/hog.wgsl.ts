import type { WgslProgram } from '../../kernel.js';
import { HOG_CLIP, HOG_EPSILON, hogGeometry, hogSettings, type HogAttrs } from './hog.shape.js';

// One invocation per (image, block): it builds the block's cell histograms from the pixels in
// registers, normalizes them and writes the block. Overlapping blocks recompute shared cells
// (blockRows × blockCols times), which costs less than a second pass through memory and keeps
// the kernel one launch with no workgroup-size limit on the image size. The histogram length is
// compiled in (the key), the sizes are uniforms.
export const hogWgsl: WgslProgram<'x', 'out', HogAttrs> = {
  workgroupSize: [64, 1, 1],
  key: (attrs) => {
    const { orientations, blockRows, blockCols, binning, transformSqrt } = hogSettings(attrs);
    return `o=${orientations},b=${blockRows}x${blockCols},${binning},sqrt=${transformSqrt}`;
  },
  uniforms: {
    height: 'u32',
    width: 'u32',
    cell_rows: 'u32',
    cell_cols: 'u32',
    blocks_down: 'u32',
    blocks_across: 'u32',
    features: 'u32',
    bin_width: 'f32',
  },
  uniformValues: ({ x }, attrs) => {
    const g = hogGeometry(x, attrs);
    return {
      height: g.height,
      width: g.width,
      cell_rows: g.cellRows,
      cell_cols: g.cellCols,
      blocks_down: g.blocksDown,
      blocks_across: g.blocksAcross,
      features: g.features,
      bin_width: Math.PI / g.orientations,
    };
  },
  launch: ({ x }, attrs) => {
    const g = hogGeometry(x, attrs);
    return { kind: 'elementwise', invocations: g.images * g.blocksDown * g.blocksAcross };
  },
  declarations: ({ attrs }) => {
    const g = hogSettings(attrs);
    return `
const ORIENTATIONS = ${g.orientations}u;
const BLOCK_ROWS = ${g.blockRows}u;
const BLOCK_COLS = ${g.blockCols}u;
const BLOCK_BINS = ${g.blockBins}u;

fn pixel(base: u32, r: u32, c: u32) -> f32 {
  let v = load_x(base + r * params.width + c);
  return ${g.transformSqrt ? 'sqrt(v)' : 'v'};
}

// Unsigned angle in [0, π): the gradient is negated into the upper half-plane, not reduced modulo π;
// a horizontal gradient is exactly 0 (no atan2 of a signed zero, which some drivers get wrong).
fn unsigned_angle(g_row: f32, g_col: f32) -> f32 {
  if (g_row == 0.0) { return 0.0; }
  if (g_row < 0.0) { return atan2(-g_row, -g_col); }
  return atan2(g_row, g_col);
}`;
  },
  body: ({ attrs }) => {
    const linear = (attrs.binning ?? 'linear') === 'linear';
    return `
  let blocks = params.blocks_down * params.blocks_across;
  let image = i / blocks;
  let block_row = (i % blocks) / params.blocks_across;
  let block_col = i % params.blocks_across;
  let base = image * params.height * params.width;
  var hist: array<f32, BLOCK_BINS>;
  for (var k = 0u; k < BLOCK_BINS; k++) { hist[k] = 0.0; }
  for (var ci = 0u; ci < BLOCK_ROWS; ci++) {
    for (var cj = 0u; cj < BLOCK_COLS; cj++) {
      let cell = (ci * BLOCK_COLS + cj) * ORIENTATIONS;
      let r0 = (block_row + ci) * params.cell_rows;
      let c0 = (block_col + cj) * params.cell_cols;
      for (var r = r0; r < r0 + params.cell_rows; r++) {
        for (var c = c0; c < c0 + params.cell_cols; c++) {
          var g_row = 0.0;
          var g_col = 0.0;
          if (r > 0u && r + 1u < params.height) { g_row = pixel(base, r + 1u, c) - pixel(base, r - 1u, c); }
          if (c > 0u && c + 1u < params.width) { g_col = pixel(base, r, c + 1u) - pixel(base, r, c - 1u); }
          let magnitude = sqrt(g_row * g_row + g_col * g_col);
          if (magnitude == 0.0) { continue; }
          let angle = unsigned_angle(g_row, g_col);
          ${
            linear
              ? `let position = angle / params.bin_width - 0.5;
          let lower = floor(position);
          let upper_share = position - lower;
          let lower_bin = u32(i32(lower) + i32(ORIENTATIONS)) % ORIENTATIONS;
          let upper_bin = u32(i32(lower) + 1) % ORIENTATIONS;
          hist[cell + lower_bin] += (1.0 - upper_share) * magnitude;
          hist[cell + upper_bin] += upper_share * magnitude;`
              : `let bin = u32(clamp(i32(floor(angle / params.bin_width)), 0, i32(ORIENTATIONS) - 1));
          hist[cell + bin] += magnitude;`
          }
        }
      }
    }
  }
  // Cell averages, then L2-Hys over the block.
  let area = f32(params.cell_rows * params.cell_cols);
  var sum = 0.0;
  for (var k = 0u; k < BLOCK_BINS; k++) {
    hist[k] = hist[k] / area;
    sum += hist[k] * hist[k];
  }
  let eps2 = ${HOG_EPSILON * HOG_EPSILON};
  let first = 1.0 / sqrt(sum + eps2);
  sum = 0.0;
  for (var k = 0u; k < BLOCK_BINS; k++) {
    hist[k] = min(hist[k] * first, ${HOG_CLIP});
    sum += hist[k] * hist[k];
  }
  let second = 1.0 / sqrt(sum + eps2);
  let out_base = image * params.features + (block_row * params.blocks_across + block_col) * BLOCK_BINS;
  for (var k = 0u; k < BLOCK_BINS; k++) { out[out_base + k] = hist[k] * second; }`;
  },
};
