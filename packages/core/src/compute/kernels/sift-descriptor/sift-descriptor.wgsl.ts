import type { WgslProgram } from '../../kernel.js';
import { ELEMENTWISE_WORKGROUP } from '../../webgpu/shader.js';
import { levelSize } from './sift-descriptor.shape.js';

// One invocation per keypoint: its window's samples accumulated into a private histogram of
// 6 × 6 cells × 10 bins (the border cells and the two wrapped bins, as the CPU reference), then
// normalised, clipped and renormalised into its 128 outputs.
export const siftDescriptorWgsl: WgslProgram<'level' | 'keypoints', 'out', Record<string, never>> = {
  workgroupSize: [ELEMENTWISE_WORKGROUP, 1, 1],
  uniforms: { height: 'u32', width: 'u32' },
  uniformValues: ({ level }) => levelSize(level.shape),
  launch: ({ keypoints }) => ({ kind: 'elementwise', invocations: keypoints.shape[0]! }),
  declarations: () => `
const PI = 3.14159265358979;
fn level_at(p: i32) -> f32 { return load_level(u32(p)); }`,
  body: () => `
  let k = i * 5u;
  let H = i32(params.height);
  let W = i32(params.width);
  let offset = i32(load_keypoints(k)) * H * W;
  let px = i32(floor(load_keypoints(k + 1u) + 0.5));
  let py = i32(floor(load_keypoints(k + 2u) + 0.5));
  let angle = load_keypoints(k + 3u);
  let cellWidth = 3.0 * load_keypoints(k + 4u);
  let radius = min(i32(floor(cellWidth * 1.41421356 * 2.5 + 0.5)), i32(floor(sqrt(f32(W * W + H * H)))));
  let cosT = cos(angle * PI / 180.0) / cellWidth;
  let sinT = sin(angle * PI / 180.0) / cellWidth;
  var hist: array<f32, 360>;
  for (var a = -radius; a <= radius; a++) {
    for (var b = -radius; b <= radius; b++) {
      let colRot = f32(b) * cosT - f32(a) * sinT;
      let rowRot = f32(b) * sinT + f32(a) * cosT;
      let rbin = rowRot + 1.5;
      let cbin = colRot + 1.5;
      let r = py + a;
      let c = px + b;
      if (!(rbin > -1.0 && rbin < 4.0 && cbin > -1.0 && cbin < 4.0 && r > 0 && r < H - 1 && c > 0 && c < W - 1)) { continue; }
      let p = offset + r * W + c;
      let dx = level_at(p + 1) - level_at(p - 1);
      let dy = level_at(p - W) - level_at(p + W);
      let magnitude = sqrt(dx * dx + dy * dy) * exp((colRot * colRot + rowRot * rowRot) * -0.125);
      var theta = atan2(dy, dx) * 180.0 / PI;
      if (theta < 0.0) { theta += 360.0; }
      var obin = (theta - angle) * 8.0 / 360.0;
      let r0 = i32(floor(rbin));
      let c0 = i32(floor(cbin));
      var o0 = i32(floor(obin));
      let fr = rbin - f32(r0);
      let fc = cbin - f32(c0);
      obin -= f32(o0);
      if (o0 < 0) { o0 += 8; }
      if (o0 >= 8) { o0 -= 8; }
      for (var dr = 0; dr < 2; dr++) {
        let wr = select(fr, 1.0 - fr, dr == 0);
        for (var dc = 0; dc < 2; dc++) {
          let v = magnitude * wr * select(fc, 1.0 - fc, dc == 0);
          let cell = ((r0 + 1 + dr) * 6 + c0 + 1 + dc) * 10;
          hist[cell + o0] += v * (1.0 - obin);
          hist[cell + o0 + 1] += v * obin;
        }
      }
    }
  }
  var values: array<f32, 128>;
  var norm = 0.0;
  for (var a = 0; a < 4; a++) {
    for (var b = 0; b < 4; b++) {
      let cell = ((a + 1) * 6 + b + 1) * 10;
      for (var o = 0; o < 8; o++) {
        var v = hist[cell + o];
        if (o < 2) { v += hist[cell + 8 + o]; }
        values[(a * 4 + b) * 8 + o] = v;
        norm += v * v;
      }
    }
  }
  let clip = sqrt(norm) * 0.2;
  norm = 0.0;
  for (var o = 0; o < 128; o++) {
    values[o] = min(values[o], clip);
    norm += values[o] * values[o];
  }
  let factor = 512.0 / max(sqrt(norm), 1.1920929e-7);
  for (var o = 0u; o < 128u; o++) { out[i * 128u + o] = values[o] * factor; }`,
};
