import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import { Rng } from '../compute/random.js';
import { Tensor } from '../compute/tensor.js';
import { createOrtNodeRuntime } from '../node/ort-node.js';
import { FusedHeadGradients } from './fused-gradients.js';
import { computeGradients } from './gradients.js';
import { createHead, headFromValues, headParameters, type HeadSpec } from './head.js';

// The fused graph (ONNX Runtime, f32) against the kernels' gradients (the CPU references, which the
// finite-difference check in gradient-check.test.ts validates).

const cpu = new CpuDevice();
const runtime = await createOrtNodeRuntime();
const created: FusedHeadGradients[] = [];
afterAll(() => Promise.all(created.map((f) => f.release())));

const cases: { name: string; spec: HeadSpec; smoothing: number; rowWeights: boolean }[] = [
  { name: 'softmax', spec: { head: 'softmax', inputDim: 7, classes: 4 }, smoothing: 0, rowWeights: false },
  { name: 'mlp relu, dropout, label smoothing, row weights', spec: { head: 'mlp', inputDim: 7, classes: 4, hidden: [9, 5], activation: 'relu', dropout: 0.3 }, smoothing: 0.1, rowWeights: true },
  { name: 'mlp gelu', spec: { head: 'mlp', inputDim: 7, classes: 3, hidden: [11], activation: 'gelu', dropout: 0 }, smoothing: 0.05, rowWeights: false },
];

describe('FusedHeadGradients', () => {
  for (const { name, spec, smoothing, rowWeights } of cases) {
    it(`${name}: every layer's gradient and each row's loss equal the kernels' within 1e-5`, async () => {
      const rng = new Rng(3);
      const rows = 13;
      // Large weights, so GELU's curvature and the ReLU kinks matter; one unlabelled row.
      const head = headFromValues(spec, headParameters(createHead(spec, 5)).map((t) => rng.floats(t.size, -1.5, 1.5)));
      const x = Tensor.cpu('f32', [rows, spec.inputDim], rng.floats(rows * spec.inputDim, -2, 2));
      const labels = Tensor.cpu('i32', [rows], Int32Array.from({ length: rows }, (_, r) => (r === 4 ? -1 : r % spec.classes)));
      const loss = {
        classWeights: Tensor.cpu('f32', [spec.classes], Float32Array.from({ length: spec.classes }, (_, c) => 0.5 + c)),
        labelSmoothing: smoothing,
        scale: 0.07,
        ...(rowWeights ? { rowWeights: Tensor.cpu('f32', [rows], rng.floats(rows, 0, 1)) } : {}),
      };
      const seeds = spec.head === 'mlp' ? spec.hidden.map((_, l) => 100 + l) : [];
      const fused = await FusedHeadGradients.create(runtime, cpu, spec, smoothing);
      created.push(fused);
      const want = await computeGradients(cpu, head, x, labels, loss, seeds);
      const got = await fused.compute(head, x, labels, loss, seeds);
      const close = (a: Tensor, b: Tensor, what: string) => {
        expect(a.shape, what).toEqual(b.shape);
        const [av, bv] = [a.data as Float32Array, b.data as Float32Array];
        for (let i = 0; i < av.length; i++) expect(Math.abs(av[i]! - bv[i]!), `${what}[${i}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(bv[i]!)));
      };
      got.layers.forEach((layer, l) => {
        close(layer.weight, want.layers[l]!.weight, `layer${l}.weight`);
        close(layer.bias, want.layers[l]!.bias, `layer${l}.bias`);
      });
      close(got.rowLosses, want.rowLosses, 'rowLosses');
      expect((got.rowLosses.data as Float32Array)[4]).toBe(0); // the unlabelled row
    });
  }

  it('refuses a WebGPU-like device: the graph reads host arrays', async () => {
    const device = Object.assign(Object.create(cpu), { backend: 'webgpu' });
    await expect(FusedHeadGradients.create(runtime, device, cases[0]!.spec, 0)).rejects.toMatchObject({ code: 'TRAIN_INVALID_OPTIONS' });
  });
});
