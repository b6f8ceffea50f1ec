import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import { dropoutKeeps } from '../compute/kernels/dropout/dropout-mask.js';
import { gelu } from '../compute/kernels/activation/activation-functions.js';
import { Rng } from '../compute/random.js';
import { Tensor } from '../compute/tensor.js';
import { computeGradients } from './gradients.js';
import { createHead, headFromValues, headParameters, type Head, type HeadSpec } from './head.js';

// Gradients of the device path (f32 kernels on the CPU reference) against central finite
// differences of an independent float64 forward pass written out here.

const cpu = new CpuDevice();

interface Problem {
  readonly spec: HeadSpec;
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly classWeights: Float32Array;
  /** Sample weight per row; absent: all 1 (and no rowWeights tensor is passed). */
  readonly rowWeights?: Float32Array;
  readonly labelSmoothing: number;
  readonly dropoutSeeds?: readonly number[];
}

/** The batch loss in float64: Σ_rows scale · s_r · w[y] · Σ_c q_c · (−log p_c), scale = 1 / Σ s_r · w[y]. */
function lossF64(problem: Problem, params: readonly Float64Array[]): number {
  const { spec, x, labels, classWeights, labelSmoothing } = problem;
  const rows = labels.length;
  const widths = [spec.inputDim, ...(spec.head === 'mlp' ? spec.hidden : []), spec.classes];
  let a = Float64Array.from(x);
  for (let l = 0; l + 1 < widths.length; l++) {
    const [fanIn, fanOut] = [widths[l]!, widths[l + 1]!];
    const w = params[2 * l]!;
    const b = params[2 * l + 1]!;
    const z = new Float64Array(rows * fanOut);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < fanOut; o++) {
        let sum = b[o]!;
        for (let i = 0; i < fanIn; i++) sum += a[r * fanIn + i]! * w[i * fanOut + o]!;
        z[r * fanOut + o] = sum;
      }
    }
    if (l + 2 === widths.length || spec.head !== 'mlp') {
      a = z;
      break;
    }
    const seed = problem.dropoutSeeds?.[l];
    const gain = Math.fround(1 / (1 - spec.dropout));
    a = z.map((v, i) => {
      const h = spec.activation === 'relu' ? Math.max(v, 0) : gelu(v);
      return seed === undefined || spec.dropout === 0 ? h : dropoutKeeps(seed, i, spec.dropout) ? h * gain : 0;
    });
  }
  const C = spec.classes;
  const s = (r: number) => problem.rowWeights?.[r] ?? 1;
  let weightSum = 0;
  labels.forEach((y, r) => (weightSum += s(r) * classWeights[y]!));
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const row = a.subarray(r * C, (r + 1) * C);
    const top = Math.max(...row);
    const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - top), 0));
    const y = labels[r]!;
    let ce = 0;
    for (let c = 0; c < C; c++) ce += ((c === y ? 1 - labelSmoothing : 0) + labelSmoothing / C) * (logSum - (row[c]! - top));
    total += ((s(r) * classWeights[y]!) / weightSum) * ce;
  }
  return total;
}

async function checkGradients(problem: Problem, head: Head): Promise<void> {
  const rows = problem.labels.length;
  let weightSum = 0;
  problem.labels.forEach((y, r) => (weightSum += (problem.rowWeights?.[r] ?? 1) * problem.classWeights[y]!));
  const { layers, rowLosses } = await computeGradients(
    cpu,
    head,
    Tensor.cpu('f32', [rows, problem.spec.inputDim], problem.x),
    Tensor.cpu('i32', [rows], problem.labels),
    {
      classWeights: Tensor.cpu('f32', [problem.spec.classes], problem.classWeights),
      labelSmoothing: problem.labelSmoothing,
      scale: 1 / weightSum,
      ...(problem.rowWeights ? { rowWeights: Tensor.cpu('f32', [rows], problem.rowWeights) } : {}),
    },
    problem.dropoutSeeds,
  );
  const analytic = layers.flatMap((l) => [l.weight.data as Float32Array, l.bias.data as Float32Array]);
  const params = headParameters(head).map((t) => Float64Array.from(t.data as Float32Array));

  const loss = lossF64(problem, params);
  expect(Math.abs((rowLosses.data as Float32Array).reduce((s, v) => s + v, 0) - loss)).toBeLessThan(1e-5 * Math.max(1, loss));

  const h = 1e-5;
  let checked = 0;
  params.forEach((p, t) => {
    for (let i = 0; i < p.length; i++) {
      const saved = p[i]!;
      p[i] = saved + h;
      const up = lossF64(problem, params);
      p[i] = saved - h;
      const down = lossF64(problem, params);
      p[i] = saved;
      const numeric = (up - down) / (2 * h);
      const got = analytic[t]![i]!;
      // f32 kernels against a float64 difference quotient: agreement to ~1e-4 is the f32 limit.
      expect(Math.abs(got - numeric), `parameter ${t}[${i}]: analytic ${got}, numeric ${numeric}`).toBeLessThan(1e-4 + 1e-3 * Math.abs(numeric));
      checked++;
    }
  });
  expect(checked).toBe(params.reduce((s, p) => s + p.length, 0));
}

function problem(spec: HeadSpec, seed: number, extra: Partial<Problem> = {}): { problem: Problem; head: Head } {
  const rng = new Rng(seed);
  const rows = 7;
  const base = createHead(spec, seed);
  // Non-zero biases so that every bias enters the check with a generic value.
  const head = headFromValues(spec, headParameters(base).map((t) => (t.shape.length === 1 ? rng.floats(t.size, -0.5, 0.5) : (t.data as Float32Array))));
  return {
    head,
    problem: {
      spec,
      x: rng.floats(rows * spec.inputDim, -2, 2),
      labels: Int32Array.from({ length: rows }, () => rng.int(0, spec.classes - 1)),
      classWeights: new Float32Array(spec.classes).fill(1),
      labelSmoothing: 0,
      ...extra,
    },
  };
}

describe('gradients against float64 central differences', () => {
  it('softmax head', async () => {
    const p = problem({ head: 'softmax', inputDim: 5, classes: 3 }, 1);
    await checkGradients(p.problem, p.head);
  });

  it('softmax head with label smoothing and class weights', async () => {
    const p = problem({ head: 'softmax', inputDim: 4, classes: 4 }, 2, { labelSmoothing: 0.1, classWeights: Float32Array.of(0.5, 2, 1, 3) });
    await checkGradients(p.problem, p.head);
  });

  it('MLP head, two ReLU layers', async () => {
    const p = problem({ head: 'mlp', inputDim: 5, classes: 3, hidden: [6, 4], activation: 'relu', dropout: 0 }, 3);
    await checkGradients(p.problem, p.head);
  });

  it('MLP head, GELU (tanh approximation) with dropout masks, smoothing and class weights', async () => {
    const spec: HeadSpec = { head: 'mlp', inputDim: 4, classes: 3, hidden: [8, 5], activation: 'gelu', dropout: 0.3 };
    const p = problem(spec, 4, { labelSmoothing: 0.2, classWeights: Float32Array.of(1, 2.5, 0.5), dropoutSeeds: [11, 12] });
    await checkGradients(p.problem, p.head);
  });

  // Row weights as mixup gives them (λ, 1 − λ pairs) plus a row of weight 0 and one of weight 2.
  const ROW_WEIGHTS = Float32Array.of(0.3, 0.7, 1, 0, 2, 0.45, 0.55);

  it('softmax head with row weights and class weights', async () => {
    const p = problem({ head: 'softmax', inputDim: 4, classes: 3 }, 5, { rowWeights: ROW_WEIGHTS, classWeights: Float32Array.of(1, 3, 0.5) });
    await checkGradients(p.problem, p.head);
  });

  it('MLP head, ReLU with dropout, smoothing, class weights and row weights', async () => {
    const spec: HeadSpec = { head: 'mlp', inputDim: 5, classes: 4, hidden: [7], activation: 'relu', dropout: 0.2 };
    const p = problem(spec, 6, { labelSmoothing: 0.1, classWeights: Float32Array.of(0.5, 1, 2, 1.5), rowWeights: ROW_WEIGHTS, dropoutSeeds: [3] });
    await checkGradients(p.problem, p.head);
  });
});
