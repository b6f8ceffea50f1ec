import type { KernelCase, KernelCases } from '../../kernel.js';
import type { Rng } from '../../random.js';
import { conv2d, type Conv2dAttrs } from './conv2d.js';

const NINE = { shape: [1, 1, 3, 3], dtype: 'f32' as const, data: [1, 2, 3, 4, 5, 6, 7, 8, 9] };

export interface ConvProblem {
  readonly x: number[];
  readonly w: number[];
  readonly kernel: [number, number];
  readonly attrs: Conv2dAttrs & { group: number };
}

/**
 * Random convolution problems, shared with the backward kernels' cases (which differentiate the
 * same problems): two with random kernel, stride, padding, dilation and grouping whose output
 * pixels cross the 64-row tiles, and one with 65–70 input and output channels, so that every
 * kernel's matrix product (whose rows and columns are pixels or channels) crosses tile edges in
 * both directions.
 */
export function randomConvProblems(rng: Rng): ConvProblem[] {
  const c = rng.int(65, 70);
  const size = rng.int(5, 7);
  const wide: ConvProblem = { x: [1, c, size, size], w: [rng.int(65, 70), c, 3, 3], kernel: [3, 3], attrs: { pads: [1, 1, 1, 1], group: 1 } };
  return [randomConvProblem(rng), randomConvProblem(rng), wide];
}

function randomConvProblem(rng: Rng): ConvProblem {
  const group = rng.int(1, 2);
  const kernel: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
  const dilations: [number, number] = [rng.int(1, 2), rng.int(1, 2)];
  const pads: [number, number, number, number] = [rng.int(0, 2), rng.int(0, 2), rng.int(0, 2), rng.int(0, 2)];
  const x = [rng.int(1, 2), group * rng.int(1, 4), rng.int(5, 14), rng.int(5, 14)];
  const w = [group * rng.int(1, 40), x[1]! / group, ...kernel];
  return { x, w, kernel, attrs: { strides: [rng.int(1, 2), rng.int(1, 2)], pads, dilations, group } };
}

export const conv2dCases: KernelCases<Conv2dAttrs> = {
  kernel: conv2d,
  cases: [
    {
      // out[oy, ox] = x[oy, ox] − x[oy + 1, ox + 1] + 0.5, and x[i, j] = 3i + j + 1 differ by 4 along the diagonal.
      name: '2×2 kernel, no padding, bias',
      inputs: { x: NINE, w: { shape: [1, 1, 2, 2], dtype: 'f32', data: [1, 0, 0, -1] }, b: { shape: [1], dtype: 'f32', data: [0.5] } },
      attrs: {},
      expected: { out: [-3.5, -3.5, -3.5, -3.5] },
    },
    {
      // A 3×3 box of ones, padding 1, stride 2: windows centred on the corners sum their 2×2 neighbourhoods.
      name: 'stride 2, padding 1',
      inputs: { x: NINE, w: { shape: [1, 1, 3, 3], dtype: 'f32', data: new Array(9).fill(1) }, b: { shape: [1], dtype: 'f32', data: [0] } },
      attrs: { strides: [2, 2], pads: [1, 1, 1, 1] },
      expected: { out: [12, 16, 24, 28] },
    },
    {
      // A 2×2 kernel dilated by 2 spans 3×3 and reads the corners: 1 + 3 + 7 + 9.
      name: 'dilation 2',
      inputs: { x: NINE, w: { shape: [1, 1, 2, 2], dtype: 'f32', data: [1, 1, 1, 1] }, b: { shape: [1], dtype: 'f32', data: [0] } },
      attrs: { dilations: [2, 2] },
      expected: { out: [20] },
    },
    {
      // Group 0 scales channel 0 by 2; group 1 scales channel 1 by −1 and adds 1.
      name: 'two groups (depthwise)',
      inputs: { x: { shape: [1, 2, 1, 2], dtype: 'f32', data: [1, 2, 3, 4] }, w: { shape: [2, 1, 1, 1], dtype: 'f32', data: [2, -1] }, b: { shape: [2], dtype: 'f32', data: [0, 1] } },
      attrs: { group: 2 },
      expected: { out: [2, 4, -2, -3] },
    },
    {
      // 1×1 convolution of two images: out channels c0 + c1, c0 − c1, 2·c1 + 10.
      name: '1×1 over channels, batch of 2',
      inputs: { x: { shape: [2, 2, 1, 1], dtype: 'f32', data: [1, 2, 3, 4] }, w: { shape: [3, 2, 1, 1], dtype: 'f32', data: [1, 1, 1, -1, 0, 2] }, b: { shape: [3], dtype: 'f32', data: [0, 0, 10] } },
      attrs: {},
      expected: { out: [3, -1, 14, 7, -1, 18] },
    },
    {
      // Padding only at the bottom and right: the last output's window reads x[1, 1] and three zeros.
      name: 'asymmetric padding',
      inputs: { x: { shape: [1, 1, 2, 2], dtype: 'f32', data: [1, 2, 3, 4] }, w: { shape: [1, 1, 2, 2], dtype: 'f32', data: [1, 10, 100, 1000] }, b: { shape: [1], dtype: 'f32', data: [0] } },
      attrs: { pads: [0, 0, 1, 1] },
      expected: { out: [4321, 402, 43, 4] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<Conv2dAttrs>, 'expected'>[] = [];
    for (const p of randomConvProblems(rng)) {
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
      cases.push({
        name: `random x [${p.x.join(', ')}] w [${p.w.join(', ')}] ${JSON.stringify(p.attrs)}`,
        inputs: {
          x: { shape: p.x, dtype: 'f32', data: rng.floats(size(p.x)) },
          w: { shape: p.w, dtype: 'f32', data: rng.floats(size(p.w)) },
          b: { shape: [p.w[0]!], dtype: 'f32', data: rng.floats(p.w[0]!) },
        },
        attrs: p.attrs,
      });
    }
    return cases;
  },
};
