import { OnnxError } from '../../errors.js';
import type { GraphOp } from './graph-ops.js';
import type { Constant, ReadNode } from './onnx-model-reader.js';

/** What a converter sees besides its node: the model's constants and, for fusion, the node that alone reads its output. */
export interface ConvertContext {
  readonly constants: ReadonlyMap<string, Constant>;
  /** int64/int32 constants: shapes and axes. */
  readonly integers: ReadonlyMap<string, readonly number[]>;
  /** The only node reading `tensor`, or null when none or several do (or it is the graph output). */
  soleReader(tensor: string): ReadNode | null;
  /** A unique layer name for the node (parameter names derive from it). */
  layerName(node: ReadNode): string;
}

/** A converted node: the operation, and the nodes it absorbed (MatMul's bias Add). */
export interface Converted {
  readonly op: GraphOp;
  readonly absorbed?: readonly ReadNode[];
}

export type Converter = (node: ReadNode, context: ConvertContext) => Converted;

export const unsupported = (node: ReadNode, why: string) => new OnnxError('ONNX_OP_UNSUPPORTED', `onnx import: node "${node.name}" (${node.op}) ${why}`);

export function constant(node: ReadNode, context: ConvertContext, index: number, what: string): Constant {
  const name = node.inputs[index];
  const value = name === undefined ? undefined : context.constants.get(name);
  if (!value) throw unsupported(node, `needs its ${what} (input ${index}) as a float32 initializer${name ? `; "${name}" is computed by the graph` : ''}`);
  return value;
}

export function only(node: ReadNode, checks: readonly [boolean, string][]): void {
  for (const [ok, why] of checks) if (!ok) throw unsupported(node, why);
}
