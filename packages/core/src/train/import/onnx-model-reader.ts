import type { onnx as P } from 'onnx-proto';
import { OnnxError } from '../../errors.js';
import { neededNodes, protoInt } from '../../onnx/embed-graph.js';
import { onnx } from '../../onnx/graph-proto.js';

/** A float32 initializer of the model: its values and dims. */
export interface Constant {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/** One node as the importer reads it: op, name for errors, tensor inputs and outputs, attributes by name. */
export interface ReadNode {
  readonly op: string;
  /** The node's name, or `op#index` for an unnamed node: what errors cite. */
  readonly name: string;
  readonly inputs: readonly string[];
  /** The inputs by position, an omitted optional one (ONNX's empty name) as undefined: Clip's max without its min. */
  readonly slots: readonly (string | undefined)[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, P.IAttributeProto>;
}

/** The part of a model between one image input and one output, as the importer needs it. */
export interface ReadModel {
  readonly proto: P.IModelProto;
  readonly input: string;
  /** The input's [C, H, W] when the model declares them as numbers. */
  readonly inputShape: readonly (number | null)[];
  readonly output: string;
  /** The nodes the output depends on, in topological order. */
  readonly nodes: readonly ReadNode[];
  readonly constants: ReadonlyMap<string, Constant>;
  /** int64/int32 initializers and Constant nodes' values: Reshape's shape, Squeeze's axes. */
  readonly integers: ReadonlyMap<string, readonly number[]>;
}

const invalid = (message: string) => new OnnxError('ONNX_GRAPH_INVALID', message);

/**
 * Decodes an ONNX model and keeps the nodes that `output` (default: the first graph output)
 * depends on. The graph must have one fed input (besides initializers listed as inputs, IR < 4
 * style); float32 initializers are read from raw_data or float_data.
 */
export function readOnnxModel(bytes: Uint8Array, options: { output?: string } = {}): ReadModel {
  let proto: P.IModelProto;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (cause) {
    throw new OnnxError('ONNX_LOAD_FAILED', `onnx import: the bytes are not an ONNX model: ${(cause as Error).message}`, { cause });
  }
  const graph = proto.graph;
  if (!graph) throw invalid('onnx import: the model has no graph');
  const constants = new Map<string, Constant>();
  const integers = new Map<string, readonly number[]>();
  const readTensor = (name: string, t: P.ITensorProto) => {
    if (t.dataType === onnx.TensorProto.DataType.FLOAT) constants.set(name, { data: floatsOf(t), dims: (t.dims ?? []).map(protoInt) });
    else if (t.dataType === onnx.TensorProto.DataType.INT64 || t.dataType === onnx.TensorProto.DataType.INT32) integers.set(name, integersOf(t));
  };
  for (const t of graph.initializer ?? []) readTensor(t.name ?? '', t);
  // A Constant node's value is read as an initializer would be; the node itself is not an operation.
  for (const n of graph.node ?? []) if (n.opType === 'Constant' && n.output?.[0]) {
    const value = (n.attribute ?? []).find((a) => a.name === 'value')?.t;
    if (value) readTensor(n.output[0], value);
  }
  const inputs = (graph.input ?? []).filter((i) => !constants.has(i.name ?? ''));
  if (inputs.length !== 1) throw invalid(`onnx import: the graph has ${inputs.length} fed inputs (${inputs.map((i) => i.name).join(', ') || 'none'}); a backbone takes one image input`);
  const outputNames = (graph.output ?? []).map((o) => o.name ?? '');
  const output = options.output ?? outputNames[0];
  if (output === undefined || !outputNames.includes(output)) throw invalid(`onnx import: the graph has no output "${output}"; its outputs: ${outputNames.join(', ') || '(none)'}`);
  const index = new Map((graph.node ?? []).map((n, k) => [n, k]));
  const isValue = (n: P.INodeProto) => n.opType === 'Constant' && (constants.has(n.output?.[0] ?? '') || integers.has(n.output?.[0] ?? ''));
  const nodes = neededNodes(graph, [output]).nodes.filter((n) => !isValue(n)).map((n): ReadNode => ({
    op: n.opType ?? '',
    name: n.name || `${n.opType}#${index.get(n)}`,
    inputs: (n.input ?? []).filter((i) => i !== ''),
    slots: (n.input ?? []).map((i) => (i === '' ? undefined : i)),
    outputs: (n.output ?? []).filter((o) => o !== ''),
    attributes: new Map((n.attribute ?? []).map((a) => [a.name ?? '', a])),
  }));
  const dims = inputs[0]!.type?.tensorType?.shape?.dim ?? [];
  const inputShape = dims.slice(1).map((d) => (d.dimValue !== undefined && d.dimValue !== null && protoInt(d.dimValue) > 0 ? protoInt(d.dimValue) : null));
  return { proto, input: inputs[0]!.name ?? '', inputShape, output, nodes, constants, integers };
}

function floatsOf(t: P.ITensorProto): Float32Array {
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) throw invalid(`onnx import: initializer "${t.name}" keeps its data in an external file; import a model whose weights are inside it`);
  const size = (t.dims ?? []).map(protoInt).reduce((a, b) => a * b, 1);
  if (t.rawData && t.rawData.length > 0) {
    const raw = t.rawData;
    if (raw.length !== size * 4) throw invalid(`onnx import: initializer "${t.name}" has ${raw.length} bytes for ${size} float32 values`);
    // Copied: raw_data need not be 4-byte aligned in the decoded buffer.
    return new Float32Array(Uint8Array.from(raw).buffer);
  }
  const data = Float32Array.from(t.floatData ?? []);
  if (data.length !== size) throw invalid(`onnx import: initializer "${t.name}" has ${data.length} values for dims [${(t.dims ?? []).join(', ')}]`);
  return data;
}

function integersOf(t: P.ITensorProto): number[] {
  const wide = t.dataType === onnx.TensorProto.DataType.INT64;
  if (t.rawData && t.rawData.length > 0) {
    const view = new DataView(Uint8Array.from(t.rawData).buffer);
    return Array.from({ length: t.rawData.length / (wide ? 8 : 4) }, (_, k) => (wide ? Number(view.getBigInt64(k * 8, true)) : view.getInt32(k * 4, true)));
  }
  return (wide ? (t.int64Data ?? []) : (t.int32Data ?? [])).map(protoInt);
}

/** Attribute readers with ONNX's defaults. */
export function intAttribute(node: ReadNode, name: string, fallback: number): number {
  const a = node.attributes.get(name);
  return a ? protoInt(a.i) : fallback;
}

export function intsAttribute(node: ReadNode, name: string): number[] | undefined {
  const a = node.attributes.get(name);
  return a ? (a.ints ?? []).map(protoInt) : undefined;
}

export function floatAttribute(node: ReadNode, name: string, fallback: number): number {
  const a = node.attributes.get(name);
  return a ? (a.f ?? fallback) : fallback;
}

export function stringAttribute(node: ReadNode, name: string, fallback: string): string {
  const a = node.attributes.get(name);
  return a?.s ? new TextDecoder().decode(a.s) : fallback;
}

/** Every float32 initializer of a model by name (a trained network's values, as its export holds them). */
export function onnxFloatInitializers(bytes: Uint8Array): Map<string, Float32Array> {
  const proto = onnx.ModelProto.decode(bytes);
  return new Map((proto.graph?.initializer ?? []).filter((t) => t.dataType === onnx.TensorProto.DataType.FLOAT).map((t) => [t.name ?? '', floatsOf(t)]));
}
