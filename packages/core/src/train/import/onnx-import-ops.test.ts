import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { maxRelError } from '../../compute/harness.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { OnnxGraphBuilder } from '../../onnx/graph-builder.js';
import { onnx } from '../../onnx/graph-proto.js';
import { forwardContext } from '../tape/layer.js';
import { Tape } from '../tape/tape.js';
import { exportImportedNetwork, importOnnxModel } from './onnx-import.js';

// The operators around the convolutions of common backbones, each in a small graph from the
// project's graph builder: the imported forward equals ONNX Runtime's to 1e-5, and the tape's
// gradient of the input equals central differences of the imported forward.

const cpu = new CpuDevice();
const rng = new Rng(17);
const shape = [2, 3, 6, 6] as const;
const floats = (dims: number[], low = -1, high = 1) => rng.floats(dims.reduce((a, b) => a * b, 1), low, high);

interface Case {
  readonly name: string;
  readonly model: Uint8Array;
  /** Input values: away from Clip's bounds, where the gradient has no kink. */
  readonly x: Float32Array;
}

function graph(name: string, body: (g: OnnxGraphBuilder, x: string) => string): Uint8Array {
  const g = new OnnxGraphBuilder(name);
  g.output(body(g, g.input('x', 'float32', ['batch', 3, 6, 6])), 'y');
  return g.toBytes();
}
const conv = (g: OnnxGraphBuilder, x: string, name: string, cin: number, cout: number, group = 1) =>
  g.conv(x, g.initializer(`${name}.w`, floats([cout, cin / group, 3, 3], -0.5, 0.5), [cout, cin / group, 3, 3]), g.initializer(`${name}.b`, floats([cout]), [cout]), { kernelShape: [3, 3], pads: [1, 1, 1, 1], group });

/** The classifier's reshapes, with Reshape's shape moved into a Constant node (as PyTorch exports write it). */
function withConstantNode(model: Uint8Array, initializer: string): Uint8Array {
  const proto = onnx.ModelProto.decode(model);
  const graphProto = proto.graph!;
  const value = graphProto.initializer!.find((t) => t.name === initializer)!;
  graphProto.initializer = graphProto.initializer!.filter((t) => t !== value);
  graphProto.node!.unshift({ opType: 'Constant', name: 'shape_constant', output: [initializer], attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: value }] });
  return onnx.ModelProto.encode(proto).finish();
}

const cases: Case[] = [
  {
    name: 'normalisation: Sub and Div per channel, Mul by a scalar, Add along the width, scalar − x',
    model: graph('normalise', (g, x) => {
      let h = g.sub(x, g.initializer('mean', floats([3]), [1, 3, 1, 1]));
      h = g.div(h, g.initializer('std', floats([3], 0.5, 2), [3, 1, 1]));
      h = g.mul(g.initializer('two', Float32Array.of(2), []), h);
      h = g.add(h, g.initializer('shift', floats([6]), [6]));
      return g.sub(g.initializer('one', Float32Array.of(1), [1]), h);
    }),
    x: floats([...shape]),
  },
  {
    name: 'Sigmoid, ReLU6 (Clip 0..6) and a Clip with its max only',
    model: graph('activations', (g, x) => {
      const relu6 = g.node('Clip', [x, g.initializer('zero', Float32Array.of(0), []), g.initializer('six', Float32Array.of(6), [])])[0]!;
      const capped = g.node('Clip', [g.sigmoid(x), '', g.initializer('cap', Float32Array.of(0.6), [])])[0]!;
      return conv(g, g.concat([relu6, capped], 1), 'c', 6, 4);
    }),
    // Kept 0.1 away from the kinks: Clip's bounds 0 and 6, and σ(x) = 0.6 at x = ln 1.5.
    x: floats([...shape], -8, 8).map((v) => ([0, 6, Math.log(1.5)].some((kink) => Math.abs(v - kink) < 0.1) ? v + 0.25 : v)),
  },
  {
    name: 'depthwise conv (groups = channels), padded average pools with and without the padding counted',
    model: graph('depthwise', (g, x) => {
      const h = g.averagePool(conv(g, x, 'dw', 3, 3, 3), { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: false });
      return g.averagePool(conv(g, h, 'pw', 3, 6, 3), { kernelShape: [2, 2], strides: [1, 1], pads: [0, 0, 1, 1], countIncludePad: true });
    }),
    x: floats([...shape]),
  },
  {
    name: 'Concat of three activations on the channel axis (1 and −3)',
    model: graph('concat', (g, x) => {
      const joined = g.concat([conv(g, x, 'a', 3, 2), x, conv(g, x, 'b', 3, 4)], -3);
      return conv(g, g.concat([joined, x], 1), 'c', 12, 4);
    }),
    x: floats([...shape]),
  },
];

const classifier = graph('classifier', (g, x) => {
  let h = g.globalAveragePool(conv(g, x, 'c', 3, 5));
  h = g.node('Squeeze', [h, g.initializer('squeeze_axes', BigInt64Array.of(2n, 3n), [2])])[0]!;
  h = g.node('Unsqueeze', [h, g.initializer('unsqueeze_axes', BigInt64Array.of(-1n), [1])])[0]!;
  h = g.reshape(h, [0, -1], 'flat');
  h = g.gemm(h, g.initializer('fc.w', floats([4, 5]), [4, 5]), g.initializer('fc.b', floats([4]), [4]), { transB: true });
  return g.node('Dropout', [h, g.initializer('ratio', Float32Array.of(0.3), [])])[0]!;
});
cases.push({ name: 'the classifier: Squeeze, Unsqueeze and Reshape (a Constant node\'s shape) around a Gemm, then Dropout', model: withConstantNode(classifier, 'flat__shape'), x: floats([...shape]) });

async function ortForward(model: Uint8Array, x: Float32Array): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(model);
  try {
    return (await session.run({ x: new ort.Tensor('float32', x, [...shape]) })).y!;
  } finally {
    await session.release();
  }
}

describe('ONNX import: more operators', () => {
  it.each(cases)('$name: the forward equals ORT\'s to 1e-5', async ({ model, x }) => {
    const want = await ortForward(model, x);
    const { graph: imported } = importOnnxModel(model);
    const got = await imported.forward(forwardContext(cpu, { training: false }), Tensor.cpu('f32', [...shape], x));
    expect(got.shape).toEqual(want.dims);
    expect(maxRelError(got.data as Float32Array, want.data as Float32Array)).toBeLessThan(1e-5);
  });

  it.each(cases)('$name: the tape\'s dL/dx equals central differences', async ({ model, x }) => {
    const { graph: imported } = importOnnxModel(model);
    // Dropout at inference, so the loss is a smooth function of x away from Clip's bounds.
    const loss = async (values: Float32Array) => {
      const y = await imported.forward(forwardContext(cpu, { training: false }), Tensor.cpu('f32', [...shape], values));
      return (y.data as Float32Array).reduce((a, v, i) => a + v * weights[i % weights.length]!, 0);
    };
    const weights = floats([64]);
    const tape = new Tape(cpu);
    const input = Tensor.cpu('f32', [...shape], x.slice());
    tape.watch(input);
    const y = await imported.forward(forwardContext(cpu, { training: false, tape }), input);
    const dy = Tensor.cpu('f32', y.shape, Float32Array.from({ length: y.size }, (_, i) => weights[i % weights.length]!));
    const dx = (await tape.backward(y, dy)).inputs.get(input)!.data as Float32Array;
    const h = 1e-2;
    for (let k = 0; k < 12; k++) {
      const i = (k * 37) % x.length;
      const plus = x.slice();
      const minus = x.slice();
      plus[i]! += h;
      minus[i]! -= h;
      const numeric = ((await loss(plus)) - (await loss(minus))) / (2 * h);
      expect(Math.abs(dx[i]! - numeric), `element ${i}: tape ${dx[i]} numeric ${numeric}`).toBeLessThan(2e-3 * Math.max(1, Math.abs(numeric)));
    }
  });

  it('a weight held by a Constant node is read, and the export writes the trained value back into that node', async () => {
    const model = withConstantNode(graph('constant-weight', (g, x) => conv(g, x, 'c', 3, 4)), 'c.w');
    const network = importOnnxModel(model);
    for (const p of network.graph.parameters()) p.value = Tensor.cpu('f32', p.value.shape, (p.value.data as Float32Array).map((v) => v * 0.9 + 0.01));
    const exported = await exportImportedNetwork(network, cpu);
    const x = floats([...shape]);
    const want = await ortForward(exported, x);
    const got = await network.graph.forward(forwardContext(cpu, { training: false }), Tensor.cpu('f32', [...shape], x));
    expect(maxRelError(got.data as Float32Array, want.data as Float32Array)).toBeLessThan(1e-5);
    expect(maxRelError((await ortForward(model, x)).data as Float32Array, want.data as Float32Array)).toBeGreaterThan(1e-3);
  });

  it('Dropout drops at its ratio while fine-tuning, with the kept values scaled by 1/(1 − ratio)', async () => {
    const { graph: imported } = importOnnxModel(graph('dropout', (g, x) => g.node('Dropout', [x, g.initializer('ratio', Float32Array.of(0.5), [])])[0]!));
    const ones = new Float32Array(2 * 108).fill(1);
    const y = (await imported.forward(forwardContext(cpu, { training: true, seed: 3 }), Tensor.cpu('f32', [...shape], ones))).data as Float32Array;
    const kept = y.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([2]));
    expect(kept.length / y.length).toBeGreaterThan(0.35);
    expect(kept.length / y.length).toBeLessThan(0.65);
  });

  it('names the first operator it cannot import, and why', () => {
    const tanh = graph('tanh', (g, x) => g.node('Tanh', [g.sigmoid(x)])[0]!);
    expect(() => importOnnxModel(tanh)).toThrow(/node "Tanh_1" \(Tanh\) is not supported; the importer reads .*Sigmoid, Clip, Sub, Mul, Div, Reshape, Squeeze, Unsqueeze, Concat, Dropout/);
    const gate = graph('gate', (g, x) => g.mul(x, g.sigmoid(x)));
    expect(() => importOnnxModel(gate)).toThrow(expect.objectContaining({ code: 'ONNX_OP_UNSUPPORTED', message: expect.stringMatching(/\(Mul\) combines two computed tensors/) }));
    const reciprocal = graph('reciprocal', (g, x) => g.div(g.initializer('one', Float32Array.of(1), []), x));
    expect(() => importOnnxModel(reciprocal)).toThrow(/\(Div\) divides the constant "one" by a computed tensor/);
    const squeezeAll = graph('squeeze-all', (g, x) => g.node('Squeeze', [g.globalAveragePool(x)])[0]!);
    expect(() => importOnnxModel(squeezeAll)).toThrow(/\(Squeeze\) has no axes/);
    const width = graph('width', (g, x) => g.concat([x, x], 3));
    expect(() => importOnnxModel(width)).toThrow(/\(Concat\) joins axis 3; only the channel axis/);
  });
});
