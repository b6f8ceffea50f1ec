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

  describe('embed', () => {
    /** A model with a used branch (x → Relu → Add c → "y") and an unused one ("z"), plus a com.example op. */
    function inner(opset = 17): Uint8Array {
      const g = new OnnxGraphBuilder('inner', { opset });
      const x = g.input('x', 'float32', ['n', 2]);
      g.output(g.add(g.relu(x, 'r'), g.initializer('c', Float32Array.of(1, 2), [2]), 'sum'), 'y', ['n', 2]);
      g.output(g.mul(x, g.initializer('unused', Float32Array.of(3, 3), [2])), 'z');
      return g.toBytes();
    }

    it('merges the nodes a chosen output needs under a prefix, wiring its input to a tensor of this graph', () => {
      const g = new OnnxGraphBuilder('outer');
      const a = g.input('a', 'float32', ['n', 2]);
      const [y] = g.embed(inner(), { prefix: 'm/', inputs: { x: g.sigmoid(a, 'r') }, outputs: ['y'] });
      expect(y).toBe('m/y');
      expect(g.typeOf(y!)).toBe('float32');
      g.output(g.relu(y!), 'out');
      const graph = decode(g.toBytes()).graph;
      expect(graph.node.map((n: { name: string; opType: string; input: string[] }) => [n.name, n.opType, n.input])).toEqual([
        ['Sigmoid_0', 'Sigmoid', ['a']],
        ['m/Relu_0', 'Relu', ['r']], // the fed input is renamed to the outer tensor, everything else prefixed
        ['m/Add_1', 'Add', ['m/r', 'm/c']],
        ['m/Identity_2', 'Identity', ['m/sum']],
        ['Relu_4', 'Relu', ['m/y']],
        ['Identity_5', 'Identity', ['relu_0']],
      ]);
      expect(graph.initializer.map((t: { name: string }) => t.name)).toEqual(['m/c']); // "unused" is pruned
    });

    it('keeps internal names taken and untyped, and rejects clashes, unknown or unfed inputs, unknown outputs', () => {
      const g = new OnnxGraphBuilder('outer');
      const a = g.input('a', 'float32', ['n', 2]);
      g.embed(inner(), { prefix: 'm/', inputs: { x: a }, outputs: ['y'] });
      expectGraphInvalid(() => g.typeOf('m/sum'), /inside an embedded graph/);
      expectGraphInvalid(() => g.relu(a, 'm/r'), /"m\/r" is defined twice/);
      expectGraphInvalid(() => g.embed(inner(), { prefix: 'm/', inputs: { x: a }, outputs: ['y'] }), /"m\/c" is defined twice/);
      expect(g.has('m2/c')).toBe(false);
      expectGraphInvalid(() => g.embed(inner(), { prefix: 'p/', inputs: {}, outputs: ['y'] }), /input "x" is not fed/);
      expectGraphInvalid(() => g.embed(inner(), { prefix: 'p/', inputs: { x: a, constructor: a }, outputs: ['y'] }), /no input "constructor"; its inputs: x/);
      expectGraphInvalid(() => g.embed(inner(), { prefix: 'p/', inputs: { x: a }, outputs: ['w'] }), /no output "w"; its outputs: y, z/);
      expect(g.has('p/c')).toBe(false);
    });

    it('takes an embedded opset only within its range, and the higher IR version', () => {
      const g = new OnnxGraphBuilder('outer', { opset: 13 });
      const a = g.input('a', 'float32', ['n', 2]);
      expectGraphInvalid(() => g.embed(inner(17), { prefix: 'm/', inputs: { x: a }, outputs: ['y'] }), /opset 17 and hold for opsets 17\.\.17, but this graph is opset 13/);
      const [y] = g.embed(inner(17), { prefix: 'm/', inputs: { x: a }, outputs: ['y'], opsetRange: [13, 23] });
      g.output(y!, 'out');
      const model = onnx.ModelProto.decode(inner());
      model.irVersion = 9;
      model.opsetImport!.push({ domain: 'com.example', version: 2 });
      g.embed(model, { prefix: 'k/', inputs: { x: a }, outputs: ['y'], opsetRange: [13, 23] });
      const out = decode(g.toBytes());
      expect(out.irVersion).toBe(9);
      expect(out.opsetImport).toEqual([{ domain: '', version: 13 }, { domain: 'com.example', version: 2 }]);
      model.opsetImport![1]!.version = 3;
      expectGraphInvalid(() => g.embed(model, { prefix: 'j/', inputs: { x: a }, outputs: ['y'], opsetRange: [13, 23] }), /domain "com.example" is opset 3 there and 2 here/);
    });

    it('renames inside subgraphs too, since they read the outer scope by name', () => {
      const T = onnx.AttributeProto.AttributeType;
      const branch = (name: string) => ({ name, node: [{ opType: 'Relu', input: ['x'], output: [`${name}_out`] }], output: [{ name: `${name}_out` }] });
      const model = new OnnxGraphBuilder('cond');
      model.input('x', 'float32', [2]);
      const flag = model.input('flag', 'bool', []);
      const [y] = model.node('If', [flag], { attributes: [], outputs: ['y'], outputTypes: ['float32'] });
      model.output(y!, 'y');
      const proto = model.toModelProto();
      proto.graph!.node![0]!.attribute = [{ name: 'then_branch', type: T.GRAPH, g: branch('then') }, { name: 'else_branch', type: T.GRAPH, g: branch('else') }];
      const g = new OnnxGraphBuilder('outer');
      const [out] = g.embed(proto, { prefix: 'm/', inputs: { x: g.input('a', 'float32', [2]), flag: g.input('b', 'bool', []) }, outputs: ['y'] });
      g.output(out!, 'out');
      const node = decode(g.toBytes()).graph.node[0];
      expect(node.input).toEqual(['b']);
      expect(node.attribute[0].g.node[0]).toMatchObject({ input: ['a'], output: ['m/then_out'] });
      expect(node.attribute[0].g.output[0].name).toBe('m/then_out');
    });
  });

  it('writes Resize with roi and scales left out, and the shape ops with int64 outputs', () => {
    const g = new OnnxGraphBuilder('resize');
    const x = g.input('x', 'float32', ['n', 1, 'h', 'w']);
    const shape = g.shape(x);
    expect(g.typeOf(shape)).toBe('int64');
    const at = (v: number) => (g.has(`i${v}`) ? `i${v}` : g.initializer(`i${v}`, BigInt64Array.of(BigInt(v)), [1]));
    const sizes = g.concat([g.slice(shape, at(0), at(2), at(0)), g.initializer('hw', BigInt64Array.of(4n, 4n), [2])], 0);
    const y = g.resize(x, sizes, { mode: 'nearest', coordinateTransform: 'asymmetric' });
    g.output(g.reduceSum(g.expand(y, g.initializer('s', BigInt64Array.of(1n, 3n, 1n, 1n), [4])), at(1)), 'out');
    const resize = decode(g.toBytes()).graph.node.find((n: { opType: string }) => n.opType === 'Resize');
    expect(resize.input).toEqual(['x', '', '', sizes]);
    expect(resize.attribute.map((a: { name: string; s: Uint8Array }) => [a.name, new TextDecoder().decode(a.s)])).toEqual([
      ['mode', 'nearest'],
      ['coordinate_transformation_mode', 'asymmetric'],
      ['nearest_mode', 'round_prefer_floor'],
    ]);
    expectGraphInvalid(() => g.node('Relu', ['']), /the first one named/);
  });
});
