import { describe, expect, it } from 'vitest';
import { OnnxError } from '../errors.js';
import { OnnxGraphBuilder } from './graph-builder.js';
import { onnx } from './graph-proto.js';

function mlpHead(): OnnxGraphBuilder {
  const g = new OnnxGraphBuilder('head');
  const x = g.input('x', 'float32', ['batch', 4]);
  const w = g.initializer('w', Float32Array.from({ length: 12 }, (_, i) => i), [4, 3]);
  const b = g.initializer('b', Float32Array.of(0.5, -0.5, 1), [3]);
  g.output(g.softmax(g.add(g.matmul(x, w), b), -1), 'probs', ['batch', 3]);
  return g;
}

/** The decoded model as plain objects (int64 fields as numbers), for assertions. */
function decode(bytes: Uint8Array): any {
  return onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), { longs: Number, arrays: true });
}

function rawValues<T>(raw: Uint8Array, View: new (buffer: ArrayBuffer) => T): T {
  return new View(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer);
}

function expectGraphInvalid(fn: () => unknown, message: RegExp): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(OnnxError);
  expect((error as OnnxError).code).toBe('ONNX_GRAPH_INVALID');
  expect((error as OnnxError).message).toMatch(message);
}

describe('OnnxGraphBuilder', () => {
  it('emits a ModelProto with IR 8, opset 17, typed inputs with a symbolic batch and raw-data initializers', () => {
    const model = decode(mlpHead().toBytes());
    expect(model.irVersion).toBe(8);
    expect(model.opsetImport).toEqual([{ domain: '', version: 17 }]);
    const graph = model.graph;
    expect(graph.node.map((n: { opType: string }) => n.opType)).toEqual(['MatMul', 'Add', 'Softmax', 'Identity']);
    expect(graph.input).toMatchObject([
      { name: 'x', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 4 }] } } } },
    ]);
    const w = graph.initializer.find((t: { name: string }) => t.name === 'w');
    expect(w.dims).toEqual([4, 3]);
    expect(w.dataType).toBe(onnx.TensorProto.DataType.FLOAT);
    expect(Array.from(rawValues(w.rawData, Float32Array))).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(graph.output.map((o: { name: string }) => o.name)).toEqual(['probs']);
    expect(graph.node[2].attribute).toMatchObject([{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }]);
  });

  it('writes typed attributes: Gemm alpha is a float even when integral, transB an int', () => {
    const g = new OnnxGraphBuilder('gemm');
    const x = g.input('x', 'float32', [2, 3]);
    const w = g.initializer('w', new Float32Array(6), [2, 3]);
    g.output(g.gemm(x, w, undefined, { alpha: 2, transB: true }), 'y');
    const gemm = decode(g.toBytes()).graph.node[0];
    const T = onnx.AttributeProto.AttributeType;
    expect(gemm.attribute).toMatchObject([
      { name: 'alpha', type: T.FLOAT, f: 2 },
      { name: 'beta', type: T.FLOAT, f: 1 },
      { name: 'transA', type: T.INT, i: 0 },
      { name: 'transB', type: T.INT, i: 1 },
    ]);
    expect(gemm.input).toEqual(['x', 'w']);
  });

  it('gives ArgMax and TopK indices the int64 type and stores Reshape/TopK constants as int64 initializers', () => {
    const g = new OnnxGraphBuilder('select');
    const x = g.input('x', 'float32', [2, 6]);
    const top = g.topK(x, 3);
    expect(g.typeOf(top.values)).toBe('float32');
    expect(g.typeOf(top.indices)).toBe('int64');
    expect(g.typeOf(g.argMax(x, { axis: 1 }))).toBe('int64');
    g.output(g.reshape(x, [3, -1], 'r'), 'r');
    const shape = decode(g.toBytes()).graph.initializer.find((t: { name: string }) => t.name === 'r__shape');
    expect(shape.dataType).toBe(onnx.TensorProto.DataType.INT64);
    expect(Array.from(rawValues(shape.rawData, BigInt64Array))).toEqual([3n, -1n]);
  });

  it('rejects a node input that is not in the graph, naming it', () => {
    const g = new OnnxGraphBuilder('g');
    g.input('x', 'float32', [1]);
    expectGraphInvalid(() => g.relu('y'), /no tensor named "y".*known tensors: x/);
  });

  it('rejects duplicate tensor names across inputs, initializers and node outputs', () => {
    const g = new OnnxGraphBuilder('g');
    const x = g.input('x', 'float32', [2]);
    expectGraphInvalid(() => g.input('x', 'float32', [2]), /"x" is defined twice/);
    expectGraphInvalid(() => g.initializer('x', new Float32Array(2), [2]), /"x" is defined twice/);
    expectGraphInvalid(() => g.relu(x, 'x'), /"x" is defined twice/);
  });

  it('rejects a duplicate output name and an output named like another tensor', () => {
    const g = new OnnxGraphBuilder('g');
    const x = g.input('x', 'float32', [2]);
    const y = g.relu(x, 'y');
    g.output(y, 'out');
    expectGraphInvalid(() => g.output(y, 'out'), /output "out" is declared twice/);
    expectGraphInvalid(() => g.output(y, 'x'), /"x" is defined twice/);
  });

  it('leaves the graph unchanged when a node is rejected', () => {
    const g = new OnnxGraphBuilder('g');
    const x = g.input('x', 'float32', [2, 2]);
    g.relu(x, 'taken');
    expectGraphInvalid(() => g.reshape(x, [4], 'taken'), /defined twice/);
    expect(g.has('taken__shape')).toBe(false);
    expectGraphInvalid(() => g.topK(x, 1, { names: ['v', 'v'] }), /"v" is defined twice/);
    expect(g.has('v')).toBe(false);
  });

  it('rejects initializer data that does not fill its dims, fractional int attributes and a graph without outputs', () => {
    const g = new OnnxGraphBuilder('g');
    expectGraphInvalid(() => g.initializer('w', new Float32Array(5), [2, 3]), /5 values do not fill dims \[2, 3\]/);
    const x = g.input('x', 'float32', [1, 1, 4, 4]);
    expectGraphInvalid(() => g.maxPool(x, { kernelShape: [1.5, 2] }), /kernel_shape must be an integer/);
    expectGraphInvalid(() => g.toBytes(), /has no outputs/);
    expectGraphInvalid(() => g.input('bad', 'float32', [-1]), /dimension -1/);
  });
});
