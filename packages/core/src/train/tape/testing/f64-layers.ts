import { gelu } from '../../../compute/kernels/activation/activation-functions.js';
import { dropoutKeeps } from '../../../compute/kernels/dropout/dropout-mask.js';

/**
 * An independent float64 forward pass of every tape layer, written from the ONNX operator
 * definitions with plain loops: the oracle that finite differences differentiate in the gradient
 * checks. Nothing here shares code with the kernels but the GELU formula and the dropout mask hash.
 */
export interface F64Tensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export interface Window {
  readonly kernelShape: readonly [number, number];
  readonly strides?: readonly [number, number];
  readonly pads?: readonly [number, number, number, number];
  readonly dilations?: readonly [number, number];
}

function outSize(size: number, k: number, s: number, padBegin: number, padEnd: number, d: number): number {
  return Math.floor((size + padBegin + padEnd - (d * (k - 1) + 1)) / s) + 1;
}

/** Calls `visit(n, c, oy, ox, taps)` for every output of a window over x, with the taps' flat x indices (inside the input only). */
function windows(shape: readonly number[], w: Window, visit: (plane: number, o: number, taps: number[], all: number) => void): { oh: number; ow: number } {
  const [n, c, h, wd] = shape as [number, number, number, number];
  const [kh, kw] = w.kernelShape;
  const [sh, sw] = w.strides ?? [1, 1];
  const [pt, pl, pb, pr] = w.pads ?? [0, 0, 0, 0];
  const [dh, dw] = w.dilations ?? [1, 1];
  const oh = outSize(h, kh, sh, pt, pb, dh);
  const ow = outSize(wd, kw, sw, pl, pr, dw);
  for (let plane = 0; plane < n * c; plane++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const taps: number[] = [];
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const iy = oy * sh - pt + ky * dh;
            const ix = ox * sw - pl + kx * dw;
            if (iy >= 0 && iy < h && ix >= 0 && ix < wd) taps.push(plane * h * wd + iy * wd + ix);
          }
        }
        visit(plane, (plane * oh + oy) * ow + ox, taps, kh * kw);
      }
    }
  }
  return { oh, ow };
}

export function conv2dF64(x: F64Tensor, w: F64Tensor, b: Float64Array | null, attrs: Omit<Window, 'kernelShape'> & { group?: number }): F64Tensor {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [m, cg, kh, kw] = w.shape as [number, number, number, number];
  const group = attrs.group ?? 1;
  const [sh, sw] = attrs.strides ?? [1, 1];
  const [pt, pl, pb, pr] = attrs.pads ?? [0, 0, 0, 0];
  const [dh, dw] = attrs.dilations ?? [1, 1];
  const oh = outSize(h, kh, sh, pt, pb, dh);
  const ow = outSize(wd, kw, sw, pl, pr, dw);
  const out = new Float64Array(n * m * oh * ow);
  const mg = m / group;
  for (let ni = 0; ni < n; ni++) {
    for (let mi = 0; mi < m; mi++) {
      const g = Math.floor(mi / mg);
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let sum = b ? b[mi]! : 0;
          for (let ci = 0; ci < cg; ci++) {
            for (let ky = 0; ky < kh; ky++) {
              for (let kx = 0; kx < kw; kx++) {
                const iy = oy * sh - pt + ky * dh;
                const ix = ox * sw - pl + kx * dw;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                sum += x.data[((ni * c + g * cg + ci) * h + iy) * wd + ix]! * w.data[((mi * cg + ci) * kh + ky) * kw + kx]!;
              }
            }
          }
          out[((ni * m + mi) * oh + oy) * ow + ox] = sum;
        }
      }
    }
  }
  return { shape: [n, m, oh, ow], data: out };
}

/** Training-mode batch norm: the batch's mean and population variance per channel. */
export function batchNormTrainF64(x: F64Tensor, scale: Float64Array, bias: Float64Array, epsilon = 1e-5): F64Tensor {
  const [n, c] = x.shape as [number, number];
  const inner = x.data.length / (n * c);
  const out = new Float64Array(x.data.length);
  for (let ci = 0; ci < c; ci++) {
    const idx: number[] = [];
    for (let ni = 0; ni < n; ni++) for (let j = 0; j < inner; j++) idx.push((ni * c + ci) * inner + j);
    const mean = idx.reduce((s, i) => s + x.data[i]!, 0) / idx.length;
    const variance = idx.reduce((s, i) => s + (x.data[i]! - mean) ** 2, 0) / idx.length;
    for (const i of idx) out[i] = (scale[ci]! * (x.data[i]! - mean)) / Math.sqrt(variance + epsilon) + bias[ci]!;
  }
  return { shape: x.shape, data: out };
}

export function activationF64(x: F64Tensor, fn: 'relu' | 'gelu'): F64Tensor {
  return { shape: x.shape, data: x.data.map((v) => (fn === 'relu' ? Math.max(v, 0) : gelu(v))) };
}

export function dropoutF64(x: F64Tensor, p: number, seed: number): F64Tensor {
  const gain = Math.fround(1 / (1 - p));
  return { shape: x.shape, data: x.data.map((v, i) => (dropoutKeeps(seed, i, p) ? v * gain : 0)) };
}

export function maxPoolF64(x: F64Tensor, w: Window): F64Tensor {
  const values: number[] = [];
  const { oh, ow } = windows(x.shape, w, (_plane, o, taps) => (values[o] = Math.max(...taps.map((t) => x.data[t]!))));
  return { shape: [x.shape[0]!, x.shape[1]!, oh, ow], data: Float64Array.from(values) };
}

export function avgPoolF64(x: F64Tensor, w: Window & { countIncludePad?: boolean }): F64Tensor {
  const values: number[] = [];
  const { oh, ow } = windows(x.shape, w, (_plane, o, taps, all) => (values[o] = taps.reduce((s, t) => s + x.data[t]!, 0) / (w.countIncludePad ? all : taps.length)));
  return { shape: [x.shape[0]!, x.shape[1]!, oh, ow], data: Float64Array.from(values) };
}

export function globalAveragePoolF64(x: F64Tensor): F64Tensor {
  const [n, c] = x.shape as [number, number];
  const inner = x.data.length / (n * c);
  const out = new Float64Array(n * c);
  for (let p = 0; p < n * c; p++) for (let j = 0; j < inner; j++) out[p] = out[p]! + x.data[p * inner + j]! / inner;
  return { shape: [n, c, 1, 1], data: out };
}

/** x flattened to [N, in], times W [in, out], plus b. */
export function linearF64(x: F64Tensor, w: Float64Array, b: Float64Array): F64Tensor {
  const rows = x.shape[0]!;
  const inputs = x.data.length / rows;
  const outputs = b.length;
  const out = new Float64Array(rows * outputs);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outputs; o++) {
      let sum = b[o]!;
      for (let i = 0; i < inputs; i++) sum += x.data[r * inputs + i]! * w[i * outputs + o]!;
      out[r * outputs + o] = sum;
    }
  }
  return { shape: [rows, outputs], data: out };
}

export function addF64(a: F64Tensor, b: F64Tensor): F64Tensor {
  return { shape: a.shape, data: a.data.map((v, i) => v + b.data[i]!) };
}
