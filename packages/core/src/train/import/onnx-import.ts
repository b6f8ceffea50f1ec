import type { onnx as P } from 'onnx-proto';
import type { Device } from '../../compute/device.js';
import { onnx } from '../../onnx/graph-proto.js';
import type { GraphOp } from './graph-ops.js';
import { ImportedGraph } from './imported-graph.js';
import type { ConvertContext } from './converter.js';
import { converterOf } from './onnx-op-table.js';
import { readOnnxModel, type ReadNode } from './onnx-model-reader.js';

export interface OnnxImportOptions {
  /** The graph output the network ends at (default: the model's first output), e.g. a backbone's embedding. */
  readonly output?: string;
}

/** An ONNX model read into tape layers, with what the export needs to write trained values back. */
export interface ImportedNetwork {
  readonly graph: ImportedGraph;
  /** The model's input [C, H, W] where declared as numbers (null where symbolic). */
  readonly inputShape: readonly (number | null)[];
  /** The model it was read from, as bytes: the export's template. */
  readonly model: Uint8Array;
}

/**
 * Reads an ONNX model of Conv (grouped and depthwise too), BatchNormalization (inference form),
 * Gemm, MatMul (+ the Add of its bias), MaxPool, AveragePool, GlobalAveragePool, Relu, Sigmoid,
 * Clip (ReLU6), Add (residual joins), Add/Sub/Mul/Div by a constant, Concat on channels, Flatten,
 * Reshape, Squeeze, Unsqueeze, Dropout (the identity at inference) and Identity into tape
 * layers holding its weights, from its one input to `output`. The first other operator is an
 * OnnxError('ONNX_OP_UNSUPPORTED') naming it and its node.
 */
export function importOnnxModel(bytes: Uint8Array, options: OnnxImportOptions = {}): ImportedNetwork {
  const model = readOnnxModel(bytes, options);
  const readers = new Map<string, ReadNode[]>();
  for (const node of model.nodes) for (const name of node.inputs) readers.set(name, [...(readers.get(name) ?? []), node]);
  const used = new Map<string, number>();
  const context: ConvertContext = {
    constants: model.constants,
    integers: model.integers,
    soleReader: (tensor) => {
      const list = readers.get(tensor) ?? [];
      return list.length === 1 && tensor !== model.output ? list[0]! : null;
    },
    layerName: (node) => {
      const seen = used.get(node.name) ?? 0;
      used.set(node.name, seen + 1);
      return seen === 0 ? node.name : `${node.name}#${seen}`;
    },
  };
  const ops: GraphOp[] = [];
  const absorbed = new Set<ReadNode>();
  for (const node of model.nodes) {
    if (absorbed.has(node)) continue;
    const converted = converterOf(node)(node, context);
    ops.push(converted.op);
    for (const n of converted.absorbed ?? []) absorbed.add(n);
  }
  return { graph: new ImportedGraph(model.proto.graph?.name || 'imported', model.input, model.output, ops), inputShape: model.inputShape, model: bytes };
}

/**
 * The model with the network's current values written into its initializers (weights, batch
 * norm's parameters and running statistics): the same graph, so every runtime serves it as before.
 */
export async function exportImportedNetwork(network: ImportedNetwork, device: Device): Promise<Uint8Array> {
  const proto = onnx.ModelProto.decode(network.model);
  const values = new Map<string, Float32Array>();
  for (const binding of network.graph.bindings()) values.set(binding.initializer, await binding.read(device));
  const write = (t: P.ITensorProto, name: string) => {
    const data = values.get(name);
    if (!data) return;
    t.rawData = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    t.floatData = [];
  };
  for (const t of proto.graph?.initializer ?? []) write(t, t.name ?? '');
  // Weights a Constant node holds (the reader takes them as initializers) go back there.
  for (const node of proto.graph?.node ?? []) {
    const value = node.opType === 'Constant' ? node.attribute?.find((a) => a.name === 'value')?.t : undefined;
    if (value && node.output?.[0]) write(value, node.output[0]);
  }
  return onnx.ModelProto.encode(proto).finish();
}
