import type { onnx as P } from 'onnx-proto';
import { OnnxError } from '../errors.js';
import type { OnnxElementType } from './onnx-tensor.js';
import { elementTypeOfProto, neededNodes, protoInt, renameGraph } from './embed-graph.js';
import {
  attr,
  attributeProto,
  elementTypeOf,
  encodeModel,
  onnx,
  tensorProto,
  valueInfoProto,
  type Dim,
  type InitializerData,
  type NodeAttribute,
} from './graph-proto.js';

import type { GemmOptions, ConvOptions, PoolOptions, AveragePoolOptions, ArgMaxOptions, TopKOptions, ResizeOptions, EmbedOptions } from './graph-options.js';
export type { Dim, NodeAttribute, InitializerData } from './graph-proto.js';
export { attr } from './graph-proto.js';

/** ONNX Runtime 1.17+ reads IR 8 / opset 17 everywhere (node, web wasm, web webgpu). */
export const DEFAULT_OPSET = 17;
export const IR_VERSION = 8;

export type { GemmOptions, ConvOptions, PoolOptions, AveragePoolOptions, ArgMaxOptions, TopKOptions, ResizeOptions, EmbedOptions } from './graph-options.js';

/**
 * Builds a small ONNX model (ModelProto bytes) node by node. Every op returns the name of its
 * output tensor, so a forward pass reads as nested calls:
 *
 *   const g = new OnnxGraphBuilder('head');
 *   const x = g.input('x', 'float32', ['batch', 64]);
 *   const w = g.initializer('w', weights, [64, 10]);
 *   const b = g.initializer('b', bias, [10]);
 *   g.output(g.softmax(g.add(g.matmul(x, w), b), -1), 'probs', ['batch', 10]);
 *   const bytes = g.toBytes();
 *
 * Names are checked as the graph grows (unknown inputs, duplicates), so nodes are always in
 * topological order and a mistake is an OnnxError('ONNX_GRAPH_INVALID') naming the tensor.
 */
export class OnnxGraphBuilder {
  readonly name: string;
  readonly opset: number;
  readonly #types = new Map<string, OnnxElementType>();
  readonly #inputs: P.IValueInfoProto[] = [];
  readonly #initializers: P.ITensorProto[] = [];
  readonly #nodes: P.INodeProto[] = [];
  readonly #outputs: P.IValueInfoProto[] = [];
  readonly #outputNames = new Set<string>();
  /** Tensors of embedded graphs: their names are taken, but only their outputs get a type here. */
  readonly #embedded = new Set<string>();
  readonly #sparseInitializers: P.ISparseTensorProto[] = [];
  readonly #valueInfo: P.IValueInfoProto[] = [];
  /** Opsets of domains other than the default one, brought in by embedded graphs. */
  readonly #domains = new Map<string, number>();
  #irVersion = IR_VERSION;
  #counter = 0;

  constructor(name: string, options: { opset?: number } = {}) {
    this.name = name;
    this.opset = options.opset ?? DEFAULT_OPSET;
  }

  /** Element type of a tensor already in the graph. */
  typeOf(tensor: string): OnnxElementType {
    const type = this.#types.get(tensor);
    if (type === undefined) {
      if (this.#embedded.has(tensor)) throw invalid(`graph "${this.name}": "${tensor}" is inside an embedded graph; only the outputs named to embed() can be used`);
      const known = [...this.#types.keys()];
      throw invalid(`graph "${this.name}": no tensor named "${tensor}"; known tensors: ${known.join(', ') || '(none)'}`);
    }
    return type;
  }

  has(tensor: string): boolean {
    return this.#types.has(tensor) || this.#embedded.has(tensor);
  }

  input(name: string, type: OnnxElementType, shape: readonly Dim[]): string {
    const proto = valueInfoProto(name, type, shape);
    this.#declare(name, type);
    this.#inputs.push(proto);
    return name;
  }

  /** A constant (weights, biases, shapes). Its type follows the array: Float32Array is float32, BigInt64Array int64, ... */
  initializer(name: string, data: InitializerData, dims: readonly number[], type: OnnxElementType = elementTypeOf(data)): string {
    const proto = tensorProto(name, type, data, dims);
    this.#declare(name, type);
    this.#initializers.push(proto);
    return name;
  }

  /**
   * Marks `tensor` as a graph output named `name` (default: the tensor's own name); a different
   * name is wired through an Identity node. Omitted `shape` leaves the rank unknown.
   */
  output(tensor: string, name: string = tensor, shape?: readonly Dim[]): string {
    const type = this.typeOf(tensor);
    if (this.#outputNames.has(name)) throw invalid(`graph "${this.name}": output "${name}" is declared twice`);
    const source = name === tensor ? tensor : this.identity(tensor, name);
    this.#outputs.push(valueInfoProto(source, type, shape));
    this.#outputNames.add(name);
    return name;
  }

  /**
   * Adds any ONNX node (default domain). The ops below are shorthands for it. Output types default
   * to the first input's type; outputs are named `<op>_<n>` unless `outputs` names them.
   */
  node(
    opType: string,
    inputs: readonly string[],
    options: { attributes?: readonly NodeAttribute[]; outputs?: number | readonly string[]; outputTypes?: readonly OnnxElementType[] } = {},
  ): string[] {
    const where = `${opType} node`;
    if (inputs.length === 0 || inputs[0] === '') throw invalid(`${where}: needs at least one input, the first one named`);
    const firstType = this.typeOf(inputs[0]!);
    // An empty name leaves an optional input out (ONNX's convention, e.g. Resize's roi and scales).
    inputs.forEach((i) => i === '' || this.typeOf(i));
    const outputs = typeof options.outputs === 'object' ? [...options.outputs] : this.#freshNames(opType, options.outputs ?? 1);
    const attributes = (options.attributes ?? []).map((a) => attributeProto(a, where));
    this.#assertFree(outputs);
    outputs.forEach((o, k) => this.#declare(o, options.outputTypes?.[k] ?? firstType));
    this.#nodes.push({ opType, name: `${opType}_${this.#nodes.length}`, input: [...inputs], output: outputs, attribute: attributes });
    return outputs;
  }

  // ---- element-wise and linear algebra ----

  /** Y = alpha * A' * B' + beta * C, with A' = transpose(A) if transA (same for B). */
  gemm(a: string, b: string, c?: string, options: GemmOptions = {}): string {
    const attributes = [
      attr.float('alpha', options.alpha ?? 1),
      attr.float('beta', options.beta ?? 1),
      attr.int('transA', options.transA ? 1 : 0),
      attr.int('transB', options.transB ? 1 : 0),
    ];
    return this.#one('Gemm', c === undefined ? [a, b] : [a, b, c], attributes, options.name);
  }

  matmul(a: string, b: string, name?: string): string {
    return this.#one('MatMul', [a, b], [], name);
  }

  add(a: string, b: string, name?: string): string {
    return this.#one('Add', [a, b], [], name);
  }

  sub(a: string, b: string, name?: string): string {
    return this.#one('Sub', [a, b], [], name);
  }

  mul(a: string, b: string, name?: string): string {
    return this.#one('Mul', [a, b], [], name);
  }

  div(a: string, b: string, name?: string): string {
    return this.#one('Div', [a, b], [], name);
  }

  /** Sum over `axes` (an int64 tensor, opset 13+ form), keeping the reduced axes as size 1 unless `keepdims` is false. */
  reduceSum(x: string, axes: string, options: { keepdims?: boolean; name?: string } = {}): string {
    return this.#one('ReduceSum', [x, axes], [attr.int('keepdims', options.keepdims === false ? 0 : 1)], options.name);
  }

  relu(x: string, name?: string): string {
    return this.#one('Relu', [x], [], name);
  }

  sigmoid(x: string, name?: string): string {
    return this.#one('Sigmoid', [x], [], name);
  }

  softmax(x: string, axis = -1, name?: string): string {
    return this.#one('Softmax', [x], [attr.int('axis', axis)], name);
  }

  identity(x: string, name?: string): string {
    return this.#one('Identity', [x], [], name);
  }

  // ---- convolution and pooling (NCHW) ----

  /** `w` is [outChannels, inChannels / group, kH, kW]; pads are [top, left, bottom, right]. */
  conv(x: string, w: string, bias?: string, options: ConvOptions = {}): string {
    const attributes: NodeAttribute[] = [attr.int('group', options.group ?? 1)];
    if (options.kernelShape) attributes.push(attr.ints('kernel_shape', options.kernelShape));
    if (options.strides) attributes.push(attr.ints('strides', options.strides));
    if (options.pads) attributes.push(attr.ints('pads', options.pads));
    if (options.dilations) attributes.push(attr.ints('dilations', options.dilations));
    return this.#one('Conv', bias === undefined ? [x, w] : [x, w, bias], attributes, options.name);
  }

  maxPool(x: string, options: PoolOptions): string {
    return this.#one('MaxPool', [x], poolAttributes(options), options.name);
  }

  averagePool(x: string, options: AveragePoolOptions): string {
    const attributes = [...poolAttributes(options), attr.int('count_include_pad', options.countIncludePad ? 1 : 0)];
    return this.#one('AveragePool', [x], attributes, options.name);
  }

  globalAveragePool(x: string, name?: string): string {
    return this.#one('GlobalAveragePool', [x], [], name);
  }

  // ---- shape ----

  /** Flattens to 2-D: [prod(dims[:axis]), prod(dims[axis:])]. */
  flatten(x: string, axis = 1, name?: string): string {
    return this.#one('Flatten', [x], [attr.int('axis', axis)], name);
  }

  /** `shape` follows ONNX Reshape: 0 copies the input dimension, -1 is inferred. */
  reshape(x: string, shape: readonly number[], name?: string): string {
    const output = name ?? this.#freshNames('Reshape', 1)[0]!;
    this.#assertFree([output]);
    const shapeTensor = this.initializer(`${output}__shape`, BigInt64Array.from(shape.map((d) => BigInt(checkInt('Reshape shape', d)))), [shape.length]);
    return this.#one('Reshape', [x, shapeTensor], [], output);
  }

  /** The shape of `x` as an int64 tensor [rank]. */
  shape(x: string, name?: string): string {
    return this.node('Shape', [x], { outputs: name === undefined ? 1 : [name], outputTypes: ['int64'] })[0]!;
  }

  concat(inputs: readonly string[], axis: number, name?: string): string {
    return this.#one('Concat', inputs, [attr.int('axis', axis)], name);
  }

  /** Elements [starts, ends) along `axes`; the three are int64 tensors (opset 10+ form), so they may be computed. */
  slice(x: string, starts: string, ends: string, axes: string, name?: string): string {
    return this.#one('Slice', [x, starts, ends, axes], [], name);
  }

  /** Broadcasts `x` to `shape` (an int64 tensor), numpy style: size-1 axes repeat, equal sizes stay. */
  expand(x: string, shape: string, name?: string): string {
    return this.#one('Expand', [x, shape], [], name);
  }

  /** Resizes `x` to `sizes` (an int64 tensor with one size per axis of x; opset 13+ form, roi and scales left out). */
  resize(x: string, sizes: string, options: ResizeOptions): string {
    const attributes = [attr.string('mode', options.mode), attr.string('coordinate_transformation_mode', options.coordinateTransform ?? 'half_pixel')];
    if (options.mode === 'nearest') attributes.push(attr.string('nearest_mode', options.nearestMode ?? 'round_prefer_floor'));
    return this.#one('Resize', [x, '', '', sizes], attributes, options.name);
  }

  /** Omitted `perm` reverses the dimensions. */
  transpose(x: string, perm?: readonly number[], name?: string): string {
    return this.#one('Transpose', [x], perm ? [attr.ints('perm', perm)] : [], name);
  }

  // ---- selection ----

  /** Index (int64) of the largest value along `axis`. */
  argMax(x: string, options: ArgMaxOptions = {}): string {
    const attributes = [attr.int('axis', options.axis ?? 0), attr.int('keepdims', options.keepdims === false ? 0 : 1)];
    if (options.selectLastIndex) attributes.push(attr.int('select_last_index', 1));
    const outputs = options.name === undefined ? 1 : [options.name];
    return this.node('ArgMax', [x], { attributes, outputs, outputTypes: ['int64'] })[0]!;
  }

  /** The k largest (or smallest) values along `axis` (default last) and their int64 indices. */
  topK(x: string, k: number, options: TopKOptions = {}): { values: string; indices: string } {
    const names = options.names ?? this.#freshNames('TopK', 2);
    this.#assertFree(names);
    const kTensor = this.initializer(`${names[0]}__k`, BigInt64Array.of(BigInt(checkInt('TopK k', k))), [1]);
    const attributes = [attr.int('axis', options.axis ?? -1), attr.int('largest', options.largest === false ? 0 : 1), attr.int('sorted', options.sorted === false ? 0 : 1)];
    const [values, indices] = this.node('TopK', [x, kTensor], { attributes, outputs: names, outputTypes: [this.typeOf(x), 'int64'] });
    return { values: values!, indices: indices! };
  }

  // ---- composition ----

  /**
   * Merges another model's graph (ModelProto bytes or a decoded one) into this graph: its nodes,
   * initializers and value infos under `prefix`, its inputs wired to tensors of this graph, and
   * returns the names its `outputs` have here, in order. Only the nodes the outputs need are kept.
   * Its opset imports must agree with this graph's (see `EmbedOptions.opsetRange`); model-local
   * functions and external-data initializers are refused (onnx-proto does not carry every field
   * of functions, and external data is not in the bytes).
   */
  embed(model: Uint8Array | P.IModelProto, options: EmbedOptions): string[] {
    const proto = model instanceof Uint8Array ? onnx.ModelProto.decode(model) : model;
    const graph = proto.graph;
    const where = `embedding "${graph?.name ?? '(unnamed)'}" under "${options.prefix}"`;
    if (!graph) throw invalid(`${where}: the model has no graph`);
    if (options.prefix === '') throw invalid(`${where}: the prefix must not be empty`);
    if ((proto.functions ?? []).length > 0) throw invalid(`${where}: model-local functions are not supported; export the model with functions inlined`);

    // Opsets: one version per domain for the whole model.
    const domains = new Map<string, number>();
    for (const o of proto.opsetImport ?? []) domains.set(o.domain === 'ai.onnx' ? '' : (o.domain ?? ''), protoInt(o.version));
    const own = domains.get('');
    if (own !== undefined) {
      const [low, high] = options.opsetRange ?? [own, own];
      if (this.opset < low || this.opset > high) {
        throw invalid(`${where}: its nodes are opset ${own} and hold for opsets ${low}..${high}, but this graph is opset ${this.opset}`);
      }
    }
    for (const [domain, version] of domains) {
      const known = this.#domains.get(domain);
      if (domain !== '' && known !== undefined && known !== version) throw invalid(`${where}: domain "${domain}" is opset ${version} there and ${known} here`);
    }

    // Inputs: initializers listed as inputs (IR < 4 style) are constants, the rest must be fed.
    const constants = new Set([...(graph.initializer ?? []).map((t) => t.name ?? ''), ...(graph.sparseInitializer ?? []).map((s) => s.values?.name ?? '')]);
    const realInputs = (graph.input ?? []).filter((i) => !constants.has(i.name ?? ''));
    const inputNames = realInputs.map((i) => i.name ?? '');
    const fedBy = (name: string) => (Object.hasOwn(options.inputs, name) ? options.inputs[name] : undefined);
    for (const name of Object.keys(options.inputs)) {
      if (!inputNames.includes(name)) throw invalid(`${where}: it has no input "${name}"; its inputs: ${inputNames.join(', ') || '(none)'}`);
    }
    for (const input of realInputs) {
      const fed = fedBy(input.name ?? '');
      if (fed === undefined) throw invalid(`${where}: its input "${input.name}" is not fed; give it in inputs`);
      const want = elementTypeOfProto(input.type?.tensorType?.elemType ?? 0);
      if (want !== this.typeOf(fed)) throw invalid(`${where}: its input "${input.name}" is ${want ?? 'of an unsupported type'}, but "${fed}" is ${this.typeOf(fed)}`);
    }

    // Outputs: graph outputs, with a type this builder knows.
    const outputInfo = new Map((graph.output ?? []).map((o) => [o.name ?? '', o]));
    const outputTypes = options.outputs.map((name) => {
      const info = outputInfo.get(name);
      if (!info) throw invalid(`${where}: it has no output "${name}"; its outputs: ${[...outputInfo.keys()].join(', ') || '(none)'}`);
      const type = elementTypeOfProto(info.type?.tensorType?.elemType ?? 0);
      if (type === undefined) throw invalid(`${where}: output "${name}" has element type ${info.type?.tensorType?.elemType}, which this builder cannot type`);
      return type;
    });

    const { nodes, names } = neededNodes(graph, options.outputs);
    const rename = (name: string) => fedBy(name) ?? `${options.prefix}${name}`;
    const kept = renameGraph(
      {
        ...graph,
        node: nodes,
        initializer: (graph.initializer ?? []).filter((t) => names.has(t.name ?? '')),
        sparseInitializer: (graph.sparseInitializer ?? []).filter((s) => names.has(s.values?.name ?? '')),
        valueInfo: [...(graph.valueInfo ?? []), ...(graph.output ?? [])].filter((v) => names.has(v.name ?? '') && fedBy(v.name ?? '') === undefined),
        input: [],
        output: [],
      },
      rename,
      options.prefix,
    );
    const external = (kept.initializer ?? []).find((t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL);
    if (external) throw invalid(`${where}: initializer "${external.name}" keeps its data in an external file; embed a model whose weights are inside it`);

    // Every name is checked before anything is added, so a rejected embedding leaves the graph as it was.
    const defined = [...(kept.initializer ?? []).map((t) => t.name!), ...(kept.sparseInitializer ?? []).map((s) => s.values!.name!), ...(kept.node ?? []).flatMap((n) => n.output ?? []).filter((o) => o !== '')];
    this.#assertFree(defined);
    const results = options.outputs.map(rename);
    defined.forEach((name) => this.#embedded.add(name));
    results.forEach((name, k) => {
      if (this.#types.has(name)) return; // an output that is one of its fed inputs
      this.#embedded.delete(name);
      this.#types.set(name, outputTypes[k]!);
    });
    this.#initializers.push(...(kept.initializer ?? []));
    this.#sparseInitializers.push(...(kept.sparseInitializer ?? []));
    this.#valueInfo.push(...(kept.valueInfo ?? []));
    this.#nodes.push(...(kept.node ?? []));
    for (const [domain, version] of domains) if (domain !== '') this.#domains.set(domain, version);
    this.#irVersion = Math.max(this.#irVersion, protoInt(proto.irVersion));
    return results;
  }

  // ---- result ----

  toModelProto(): P.IModelProto {
    if (this.#outputs.length === 0) throw invalid(`graph "${this.name}": has no outputs; declare one with output()`);
    const domains = [...this.#domains].map(([domain, version]) => ({ domain, version }));
    const graph: P.IGraphProto = { name: this.name, input: this.#inputs, initializer: this.#initializers, node: this.#nodes, output: this.#outputs };
    if (this.#sparseInitializers.length > 0) graph.sparseInitializer = this.#sparseInitializers;
    if (this.#valueInfo.length > 0) graph.valueInfo = this.#valueInfo;
    return {
      irVersion: this.#irVersion,
      producerName: 'cvf',
      opsetImport: [{ domain: '', version: this.opset }, ...domains],
      graph,
    };
  }

  /** The serialized ModelProto, ready for OnnxRuntime.createSession or a bundle file. */
  toBytes(): Uint8Array {
    return encodeModel(this.toModelProto());
  }

  #one(opType: string, inputs: readonly string[], attributes: readonly NodeAttribute[], name: string | undefined): string {
    return this.node(opType, inputs, { attributes, outputs: name === undefined ? 1 : [name] })[0]!;
  }

  /** Checked before anything is added, so a rejected node leaves the graph as it was. */
  #assertFree(names: readonly string[]): void {
    names.forEach((name, k) => {
      if (this.has(name) || names.indexOf(name) !== k) throw invalid(`graph "${this.name}": tensor "${name}" is defined twice`);
    });
  }

  #declare(name: string, type: OnnxElementType): void {
    if (name === '') throw invalid(`graph "${this.name}": tensor names must not be empty`);
    if (this.has(name)) throw invalid(`graph "${this.name}": tensor "${name}" is defined twice`);
    this.#types.set(name, type);
  }

  #freshNames(opType: string, count: number): string[] {
    const names: string[] = [];
    while (names.length < count) {
      const candidate = `${opType.toLowerCase()}_${this.#counter++}`;
      if (!this.has(candidate)) names.push(candidate);
    }
    return names;
  }
}

function poolAttributes(options: PoolOptions): NodeAttribute[] {
  const attributes = [attr.ints('kernel_shape', options.kernelShape)];
  if (options.strides) attributes.push(attr.ints('strides', options.strides));
  if (options.pads) attributes.push(attr.ints('pads', options.pads));
  if (options.ceilMode) attributes.push(attr.int('ceil_mode', 1));
  return attributes;
}

function checkInt(what: string, value: number): number {
  if (!Number.isInteger(value)) throw invalid(`${what}: ${value} is not an integer`);
  return value;
}

function invalid(message: string): OnnxError {
  return new OnnxError('ONNX_GRAPH_INVALID', message);
}
