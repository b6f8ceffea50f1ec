import { DtypeError } from '../errors.js';

/** Element types a Tensor can hold. Narrow integer types are what DICOM pixels and 8-bit images are. */
export type DType = 'f32' | 'i32' | 'u8' | 'u16' | 'i16';

export type TypedArray = Float32Array | Int32Array | Uint8Array | Uint16Array | Int16Array;

export type TypedArrayFor<D extends DType> = D extends 'f32'
  ? Float32Array
  : D extends 'i32'
    ? Int32Array
    : D extends 'u8'
      ? Uint8Array
      : D extends 'u16'
        ? Uint16Array
        : Int16Array;

const constructors = {
  f32: Float32Array,
  i32: Int32Array,
  u8: Uint8Array,
  u16: Uint16Array,
  i16: Int16Array,
} as const;

export const DTYPES: readonly DType[] = ['f32', 'i32', 'u8', 'u16', 'i16'];

export function bytesPerElement(dtype: DType): number {
  return constructors[dtype].BYTES_PER_ELEMENT;
}

export function allocate<D extends DType>(dtype: D, length: number): TypedArrayFor<D> {
  return new constructors[dtype](length) as TypedArrayFor<D>;
}

export function dtypeOf(array: TypedArray): DType {
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Int32Array) return 'i32';
  if (array instanceof Uint8Array) return 'u8';
  if (array instanceof Uint16Array) return 'u16';
  if (array instanceof Int16Array) return 'i16';
  throw new DtypeError(`unsupported typed array ${(array as object).constructor.name}; use one of ${DTYPES.join(', ')}`);
}

/** A typed array of `dtype` viewing `bytes` (which must be a whole number of elements). */
export function viewAs<D extends DType>(dtype: D, bytes: ArrayBuffer, length: number): TypedArrayFor<D> {
  return new constructors[dtype](bytes, 0, length) as TypedArrayFor<D>;
}

export function fromNumbers<D extends DType>(dtype: D, values: ArrayLike<number>): TypedArrayFor<D> {
  const out = allocate(dtype, values.length);
  out.set(values as ArrayLike<number>);
  return out;
}
