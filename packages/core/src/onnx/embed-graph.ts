import type { onnx as P } from 'onnx-proto';
import { onnx } from './graph-proto.js';
import type { OnnxElementType } from './onnx-tensor.js';

const elementTypes = new Map<number, OnnxElementType>([
  [onnx.TensorProto.DataType.FLOAT, 'float32'],
  [onnx.TensorProto.DataType.UINT8, 'uint8'],
  [onnx.TensorProto.DataType.INT8, 'int8'],
  [onnx.TensorProto.DataType.INT32, 'int32'],
  [onnx.TensorProto.DataType.INT64, 'int64'],
  [onnx.TensorProto.DataType.BOOL, 'bool'],
]);

/** The element type of a TensorProto.DataType code, or undefined for types CV Factory does not feed or read. */
export function elementTypeOfProto(code: number): OnnxElementType | undefined {
  return elementTypes.get(code);
}

/** An int64 field of a decoded proto: protobufjs gives a Long, hand-built protos a number. */
export function protoInt(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/**
 * A copy of `graph` whose every tensor name goes through `rename` (inputs, outputs, initializers,
 * value infos, node inputs/outputs) and whose node names get `nodePrefix`, subgraphs (If/Loop/Scan
 * bodies) included: a subgraph reads its outer scope by name, so one uniform renaming keeps every
 * reference intact. '' stays '' (ONNX's "optional input left out").
 */
export function renameGraph(graph: P.IGraphProto, rename: (name: string) => string, nodePrefix: string): P.IGraphProto {
  const tensor = (name: string | null | undefined) => (name ? rename(name) : '');
  const valueInfo = (v: P.IValueInfoProto): P.IValueInfoProto => ({ ...plain(v), name: tensor(v.name) });
  const tensorProto = (t: P.ITensorProto): P.ITensorProto => ({ ...plain(t), name: tensor(t.name) });
  return {
    ...plain(graph),
    node: (graph.node ?? []).map((n, k) => renameNode(n, k, rename, nodePrefix)),
    initializer: (graph.initializer ?? []).map(tensorProto),
    sparseInitializer: (graph.sparseInitializer ?? []).map((s) => ({
      ...plain(s),
      ...(s.values ? { values: tensorProto(s.values) } : {}),
      ...(s.indices ? { indices: tensorProto(s.indices) } : {}),
    })),
    input: (graph.input ?? []).map(valueInfo),
    output: (graph.output ?? []).map(valueInfo),
    valueInfo: (graph.valueInfo ?? []).map(valueInfo),
    quantizationAnnotation: (graph.quantizationAnnotation ?? []).map((q) => ({ ...plain(q), tensorName: tensor(q.tensorName) })),
  };
}

function renameNode(node: P.INodeProto, k: number, rename: (name: string) => string, nodePrefix: string): P.INodeProto {
  const tensor = (name: string) => (name ? rename(name) : '');
  return {
    ...plain(node),
    name: `${nodePrefix}${node.name || `${node.opType ?? 'node'}_${k}`}`,
    input: (node.input ?? []).map(tensor),
    output: (node.output ?? []).map(tensor),
    attribute: (node.attribute ?? []).map((a) => ({
      ...plain(a),
      ...(a.g ? { g: renameGraph(a.g, rename, nodePrefix) } : {}),
      ...(a.graphs?.length ? { graphs: a.graphs.map((g) => renameGraph(g, rename, nodePrefix)) } : {}),
    })),
  };
}

/**
 * The nodes of `graph` that `outputs` depend on, in their original (topological) order, and the
 * tensor names they read. A node with subgraphs is taken to read every name its subgraphs read,
 * which over-approximates the outer-scope names they capture (never too few).
 */
export function neededNodes(graph: P.IGraphProto, outputs: readonly string[]): { nodes: P.INodeProto[]; names: Set<string> } {
  const nodes = graph.node ?? [];
  const needed = new Set(outputs);
  const keep: boolean[] = new Array<boolean>(nodes.length).fill(false);
  for (let k = nodes.length - 1; k >= 0; k--) {
    const node = nodes[k]!;
    if (!(node.output ?? []).some((o) => needed.has(o))) continue;
    keep[k] = true;
    for (const name of nodeReads(node)) needed.add(name);
  }
  return { nodes: nodes.filter((_, k) => keep[k]), names: needed };
}

function nodeReads(node: P.INodeProto): string[] {
  const reads = (node.input ?? []).filter((i) => i !== '');
  for (const a of node.attribute ?? []) {
    for (const g of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) for (const n of g.node ?? []) reads.push(...nodeReads(n));
  }
  return reads;
}

/**
 * A decoded message's own fields as a plain object: protobufjs puts defaults on the prototype, and
 * copying with spread keeps only what was really set, which encodes to the same bytes.
 */
function plain<T extends object>(message: T): T {
  return { ...message };
}
