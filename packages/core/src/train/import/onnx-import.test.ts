import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { maxRelError } from '../../compute/harness.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { OnnxGraphBuilder } from '../../onnx/graph-builder.js';
import { attr } from '../../onnx/graph-proto.js';
import { exportCnnToOnnx } from '../cnn/cnn-export.js';
import { initCnnValues } from '../cnn/cnn-parameters.js';
import type { CnnSpec } from '../cnn/cnn-spec.js';
import { forwardContext } from '../tape/layer.js';
import { exportImportedNetwork, importOnnxModel } from './onnx-import.js';
import { tinyMobileModel } from './testing/tiny-mobile-model.js';
import { tinyResNetModel } from './testing/tiny-resnet-model.js';

// The importer against ONNX Runtime: the project's own cnn export and a small ResNet-like graph
// from the graph builder (conv with bias and groups, padded pools, identity and projected
// residual joins, MatMul + Add and a transposed Gemm) give ORT's forward pass to 1e-5.

const cpu = new CpuDevice();
const rng = new Rng(3);

async function runOrt(model: Uint8Array, input: string, x: Float32Array, shape: readonly number[], output: string): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(model);
  try {
    return (await session.run({ [input]: new ort.Tensor('float32', x, [...shape]) }))[output]!;
  } finally {
    await session.release();
  }
}

async function importedForward(model: Uint8Array, x: Float32Array, shape: readonly number[], output?: string): Promise<Tensor> {
  const { graph } = importOnnxModel(model, output ? { output } : {});
  return graph.forward(forwardContext(cpu, { training: false }), Tensor.cpu('f32', shape, x));
}

/** The imported graph's forward equals ORT's output `output` of the model within 1e-5. */
async function expectOrtForward(model: Uint8Array, input: string, output: string, x: Float32Array, shape: readonly number[]): Promise<void> {
  const want = await runOrt(model, input, x, shape, output);
  const got = await importedForward(model, x, shape);
  expect(got.shape).toEqual(want.dims);
  expect(maxRelError(got.data as Float32Array, want.data as Float32Array)).toBeLessThan(1e-5);
}

const spec: CnnSpec = {
  inputChannels: 1,
  height: 12,
  width: 12,
  classes: 3,
  blocks: [
    { kind: 'conv', channels: 4, kernel: 3, stride: 1 },
    { kind: 'maxpool', size: 2 },
    { kind: 'residual', channels: 6, stride: 1 },
    { kind: 'residual', channels: 6, stride: 1 },
    { kind: 'avgpool', size: 2 },
  ],
  bnMomentum: 0.1,
  bnEpsilon: 1e-5,
};
const values = initCnnValues(spec, 4);
for (const [name, data] of values) if (name.includes('.bn.')) data.set(rng.floats(data.length, 0.5, 1.5));

describe('ONNX import into tape layers', () => {
  it("the project's cnn export: the embedding equals ORT's (1e-5), blocks as the spec has them", async () => {
    const model = exportCnnToOnnx(spec, values, { classifier: false });
    const shape = [2, 1, 12, 12];
    const x = rng.floats(2 * 144, -1, 1);
    await expectOrtForward(model, 'pixels', 'embedding', x, shape);
    const { graph, inputShape } = importOnnxModel(model);
    expect(inputShape).toEqual([1, 12, 12]);
    expect(graph.blocks().map((b) => b.kind)).toEqual(['conv', 'residual', 'residual']);
  });

  it('a ResNet-like graph from the graph builder: the logits equal ORT\'s (1e-5)', async () => {
    const model = tinyResNetModel(new Rng(8));
    const shape = [3, 3, 10, 10];
    const x = rng.floats(3 * 300, -1, 1);
    await expectOrtForward(model, 'image', 'logits', x, shape);
    const blocks = importOnnxModel(model).graph.blocks();
    expect(blocks.map((b) => b.kind)).toEqual(['conv', 'residual', 'residual', 'conv', 'linear', 'linear']);
  });

  it('a MobileNet-like graph (normalisation, ReLU6, depthwise, Concat, Sigmoid, reshapes, Dropout): the embedding equals ORT\'s (1e-5)', async () => {
    const model = tinyMobileModel(new Rng(6));
    const shape = [3, 3, 10, 10];
    const x = rng.floats(3 * 300, -1, 1);
    await expectOrtForward(model, 'image', 'embedding', x, shape);
    const blocks = importOnnxModel(model).graph.blocks();
    expect(blocks.map((b) => b.kind)).toEqual(['conv', 'residual', 'conv', 'linear']);
  });

  it('exports the values back into the same graph: a changed weight changes ORT\'s answer the same way', async () => {
    const model = tinyResNetModel(new Rng(8));
    const network = importOnnxModel(model);
    for (const p of network.graph.parameters()) p.value = Tensor.cpu('f32', p.value.shape, (p.value.data as Float32Array).map((v) => v * 0.9));
    const exported = await exportImportedNetwork(network, cpu);
    const shape = [1, 3, 10, 10];
    const x = rng.floats(300, -1, 1);
    const want = await runOrt(exported, 'image', x, shape, 'logits');
    const got = await network.graph.forward(forwardContext(cpu, { training: false }), Tensor.cpu('f32', shape, x));
    expect(maxRelError(got.data as Float32Array, want.data as Float32Array)).toBeLessThan(1e-5);
    const before = await runOrt(model, 'image', x, shape, 'logits');
    expect(maxRelError(before.data as Float32Array, want.data as Float32Array)).toBeGreaterThan(1e-3);
  });

  it('names the first unsupported operator and its node', () => {
    const withSoftmax = exportCnnToOnnx(spec, values);
    expect(() => importOnnxModel(withSoftmax, { output: 'probabilities' })).toThrow(/node "\w+" \(Softmax\) is not supported; the importer reads Conv, BatchNormalization/);
    const g = new OnnxGraphBuilder('tanh');
    const x = g.input('x', 'float32', ['batch', 2]);
    g.output(g.node('Tanh', [x], { outputs: ['s'] })[0]!, 's');
    expect(() => importOnnxModel(g.toBytes())).toThrow(expect.objectContaining({ code: 'ONNX_OP_UNSUPPORTED' }));
    const padded = new OnnxGraphBuilder('same');
    const input = padded.input('x', 'float32', ['batch', 1, 4, 4]);
    padded.initializer('w', new Float32Array(9), [1, 1, 3, 3]);
    padded.output(padded.node('Conv', [input, 'w'], { attributes: [attr.string('auto_pad', 'SAME_UPPER')], outputs: ['y'] })[0]!, 'y');
    expect(() => importOnnxModel(padded.toBytes())).toThrow(/node "\w+" \(Conv\) has auto_pad SAME_UPPER/);
  });
});
