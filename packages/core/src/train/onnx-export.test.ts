import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import type { Device } from '../compute/device.js';
import { Rng } from '../compute/random.js';
import { CvfError } from '../errors.js';
import { applyTemperature } from '../eval/temperature.js';
import { createOrtNodeRuntime } from '../node/ort-node.js';
import { gpuForTests } from '../node/testing/index.js';
import { onnx } from '../onnx/graph-proto.js';
import { createHead, headFromValues, headParameters, uploadHead, type HeadSpec } from './head.js';
import { exportHeadToOnnx } from './onnx-export.js';
import { predictProbabilities } from './predict.js';

const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());
const runtime = await createOrtNodeRuntime();
const devices: Device[] = gpu.device ? [cpu, gpu.device] : [cpu];

const specs: HeadSpec[] = [
  { head: 'softmax', inputDim: 16, classes: 5 },
  { head: 'mlp', inputDim: 16, classes: 5, hidden: [32], activation: 'relu', dropout: 0.3 },
  { head: 'mlp', inputDim: 16, classes: 5, hidden: [24, 12], activation: 'gelu', dropout: 0.1 },
];

/** A head with non-zero biases and weights large enough that GELU's curvature and the tanh clip are exercised. */
function headFor(spec: HeadSpec, seed: number) {
  const rng = new Rng(seed);
  return headFromValues(spec, headParameters(createHead(spec, seed)).map((t) => (t.shape.length === 1 ? rng.floats(t.size, -1, 1) : rng.floats(t.size, -1.5, 1.5))));
}

describe('exportHeadToOnnx', () => {
  for (const spec of specs) {
    const label = spec.head === 'mlp' ? `mlp ${spec.hidden.join('-')} ${spec.activation}` : 'softmax';
    it(`${label}: ONNX Runtime (cpu) gives the head's probabilities on ${devices.map((d) => d.backend).join(' and ')} within 1e-5`, async () => {
      const head = headFor(spec, 7);
      const rows = 37;
      const features = new Rng(8).floats(rows * spec.inputDim, -4, 4);
      const session = await runtime.createSession(exportHeadToOnnx(head, { inputName: 'x', outputName: 'p' }), { executionProviders: ['cpu'] });
      const { p } = await session.run({ x: { type: 'float32', dims: [rows, spec.inputDim], data: features } });
      await session.release();
      expect(p!.dims).toEqual([rows, spec.classes]);
      for (const device of devices) {
        const want = await predictProbabilities(device, head, features);
        let worst = 0;
        for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((p!.data as Float32Array)[i]! - want[i]!));
        expect(worst, device.backend).toBeLessThan(1e-5);
      }
    });
  }

  it('names the input and output, and uses Gemm, Relu/Tanh and Softmax (no dropout)', () => {
    const model = onnx.ModelProto.decode(exportHeadToOnnx(headFor(specs[2]!, 1)));
    expect(model.graph!.input!.map((i) => i.name)).toEqual(['features']);
    expect(model.graph!.output!.map((o) => o.name)).toEqual(['probabilities']);
    const ops = model.graph!.node!.map((n) => n.opType);
    expect(ops.filter((o) => o === 'Gemm')).toHaveLength(3);
    expect(ops.filter((o) => o === 'Tanh')).toHaveLength(2);
    expect(ops).toContain('Softmax');
    expect(ops).not.toContain('Dropout');
  });

  it('with a temperature, gives the temperature-scaled probabilities (softmax of logits ÷ T)', async () => {
    const spec = specs[1]!;
    const head = headFor(spec, 3);
    const rows = 9;
    const features = new Rng(4).floats(rows * spec.inputDim, -2, 2);
    const session = await runtime.createSession(exportHeadToOnnx(head, { temperature: 2.5 }), { executionProviders: ['cpu'] });
    const { probabilities } = await session.run({ features: { type: 'float32', dims: [rows, spec.inputDim], data: features } });
    await session.release();
    const want = applyTemperature(await predictProbabilities(cpu, head, features), spec.classes, 2.5);
    (probabilities!.data as Float32Array).forEach((p, i) => expect(p).toBeCloseTo(want[i]!, 5));
    expect(onnx.ModelProto.decode(exportHeadToOnnx(head)).graph!.node!.map((n) => n.opType)).not.toContain('Div');
  });

  it.skipIf(!gpu.device)('refuses a head whose parameters are still on the GPU', async () => {
    const onGpu = uploadHead(gpu.device!, headFor(specs[0]!, 1));
    let error: unknown;
    try {
      exportHeadToOnnx(onGpu);
    } catch (e) {
      error = e;
    }
    expect((error as CvfError).code).toBe('TRAIN_HEAD_NOT_ON_HOST');
    for (const t of headParameters(onGpu)) t.dispose();
  });
});
