import onnxProto from 'onnx-proto';
import type { onnx as P } from 'onnx-proto';
import { OnnxError } from '../errors.js';
import type { OnnxDataTypeMap, OnnxElementType } from './onnx-tensor.js';

// onnx-proto is CommonJS whose module.exports is `{ onnx }`: Node and bundlers expose it as the default export only.
export const { onnx } = onnxProto;

/** A dimension of a graph input/output: a size, or a symbol (e.g. 'batch') fixed only at run time. */
export type Dim = number | string;

/** A node attribute with its ONNX type spelled out: `alpha: 1` is a float, `axis: 1` an int. */
export type NodeAttribute =
  | { readonly name: string; readonly type: 'int'; readonly value: number }
  | { readonly name: string; readonly type: 'float'; readonly value: number }
  | { readonly name: string; readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly name: string; readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly name: string; readonly type: 'string'; readonly value: string };

export const attr = {
  int: (name: string, value: number): NodeAttribute => ({ name, type: 'int', value }),
  float: (name: string, value: number): NodeAttribute => ({ name, type: 'float', value }),
  ints: (name: string, value: readonly number[]): NodeAttribute => ({ name, type: 'ints', value }),
  floats: (name: string, value: readonly number[]): NodeAttribute => ({ name, type: 'floats', value }),
  string: (name: string, value: string): NodeAttribute => ({ name, type: 'string', value }),
};

const dataTypes: Record<OnnxElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int8: onnx.TensorProto.DataType.INT8,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

export type InitializerData = Float32Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;

/** The element type an initializer's array holds (a Uint8Array is uint8; bool needs an explicit type). */
export function elementTypeOf(data: InitializerData): OnnxElementType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int8Array) return 'int8';
  return 'uint8';
}

function invalid(message: string): OnnxError {
  return new OnnxError('ONNX_GRAPH_INVALID', message);
}

function checkInteger(what: string, value: number): number {
  if (!Number.isInteger(value)) throw invalid(`${what} must be an integer, got ${value}`);
  return value;
}

export function attributeProto(a: NodeAttribute, where: string): P.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  const what = `${where} attribute ${a.name}`;
  switch (a.type) {
    case 'int':
      return { name: a.name, type: T.INT, i: checkInteger(what, a.value) };
    case 'float':
      return { name: a.name, type: T.FLOAT, f: a.value };
    case 'ints':
      return { name: a.name, type: T.INTS, ints: a.value.map((v) => checkInteger(what, v)) };
    case 'floats':
      return { name: a.name, type: T.FLOATS, floats: [...a.value] };
    case 'string':
      return { name: a.name, type: T.STRING, s: new TextEncoder().encode(a.value) };
  }
}

/** A graph input/output declaration. Omitted `shape` leaves the rank unknown. */
export function valueInfoProto(name: string, type: OnnxElementType, shape?: readonly Dim[]): P.IValueInfoProto {
  const tensorType: P.TypeProto.ITensor = { elemType: dataTypes[type] };
  if (shape) {
    tensorType.shape = {
      dim: shape.map((d) => {
        if (typeof d === 'string') return { dimParam: d };
        if (!Number.isInteger(d) || d < 0) throw invalid(`"${name}": dimension ${d} must be a non-negative integer or a symbol`);
        return { dimValue: d };
      }),
    };
  }
  return { name, type: { tensorType } };
}

/** A constant tensor stored as little-endian raw bytes (the compact form ONNX Runtime reads fastest). */
export function tensorProto<T extends OnnxElementType>(name: string, type: T, data: OnnxDataTypeMap[T] | InitializerData, dims: readonly number[]): P.ITensorProto {
  const size = dims.reduce((n, d) => n * checkInteger(`"${name}": dimension`, d), 1);
  if (size !== data.length) {
    throw invalid(`initializer "${name}": ${data.length} values do not fill dims [${dims.join(', ')}] (${size} elements)`);
  }
  const rawData = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  return { name, dataType: dataTypes[type], dims: [...dims], rawData };
}

export function encodeModel(model: P.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
