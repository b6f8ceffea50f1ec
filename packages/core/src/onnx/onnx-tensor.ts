import { OnnxError } from '../errors.js';

/** Element types CV Factory feeds to and reads from ONNX models, with the typed array each one uses. */
export interface OnnxDataTypeMap {
  float32: Float32Array;
  int64: BigInt64Array;
  int32: Int32Array;
  int8: Int8Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}

export type OnnxElementType = keyof OnnxDataTypeMap;

export const ONNX_ELEMENT_TYPES: readonly OnnxElementType[] = ['float32', 'int64', 'int32', 'int8', 'uint8', 'bool'];

/**
 * A tensor as core code hands it to or gets it from an ONNX session: plain data, independent of
 * the runtime (onnxruntime-node or onnxruntime-web). A union over element types, so `type`
 * narrows `data`.
 */
export type OnnxTensor<T extends OnnxElementType = OnnxElementType> = {
  [K in T]: { readonly type: K; readonly dims: readonly number[]; readonly data: OnnxDataTypeMap[K] };
}[T];

const arrayTypes: { [K in OnnxElementType]: new (length: number) => OnnxDataTypeMap[K] } = {
  float32: Float32Array,
  int64: BigInt64Array,
  int32: Int32Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
};

export function isOnnxElementType(type: string): type is OnnxElementType {
  return (ONNX_ELEMENT_TYPES as readonly string[]).includes(type);
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

/** Makes an OnnxTensor, checking that `data` is the right array type and fills `dims` exactly. */
export function onnxTensor<T extends OnnxElementType>(type: T, dims: readonly number[], data: OnnxDataTypeMap[T]): OnnxTensor<T> {
  if (!(data instanceof arrayTypes[type])) {
    throw new OnnxError('ONNX_RUN_FAILED', `onnxTensor: ${type} data must be a ${arrayTypes[type].name}, got ${data?.constructor?.name}`);
  }
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new OnnxError('ONNX_RUN_FAILED', `onnxTensor: dims [${dims.join(', ')}] must be non-negative integers`);
  }
  if (elementCount(dims) !== data.length) {
    throw new OnnxError('ONNX_RUN_FAILED', `onnxTensor: ${data.length} values do not fill dims [${dims.join(', ')}] (${elementCount(dims)} elements)`);
  }
  return { type, dims: [...dims], data } as OnnxTensor<T>;
}

/** A zero-filled tensor of the given type and dims (warm-up runs, probes). */
export function zerosTensor<T extends OnnxElementType>(type: T, dims: readonly number[]): OnnxTensor<T> {
  return onnxTensor(type, dims, new arrayTypes[type](elementCount(dims)));
}
