import { ShapeError } from '../errors.js';
import { allocate, bytesPerElement, dtypeOf, type DType, type TypedArray, type TypedArrayFor } from './dtype.js';
import { assertShape, formatShape, sizeOf, type Shape } from './shape.js';

export type Location = 'cpu' | 'gpu';

/** GPU memory holding a tensor, owned by one WebGPU device; `release` hands it back to the device's pool. */
export interface GpuStorage {
  readonly buffer: GPUBuffer;
  readonly deviceId: number;
  release(): void;
}

/**
 * An n-dimensional array in row-major order. It lives either on the CPU (a typed array) or on a GPU
 * (a storage buffer), so a chain of kernels can stay on the GPU with no read-back between steps.
 * Narrow integer types (u8, u16, i16) are packed into 32-bit words on the GPU.
 */
export class Tensor<D extends DType = DType> {
  readonly shape: Shape;
  readonly dtype: D;
  readonly size: number;
  #data: TypedArrayFor<D> | null;
  #gpu: GpuStorage | null;

  private constructor(shape: Shape, dtype: D, data: TypedArrayFor<D> | null, gpu: GpuStorage | null) {
    assertShape(shape, 'Tensor');
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.#data = data;
    this.#gpu = gpu;
  }

  /** A CPU tensor over `data` (not copied); zeros when `data` is omitted. */
  static cpu<D extends DType>(dtype: D, shape: Shape, data?: TypedArrayFor<D> | ArrayLike<number>): Tensor<D> {
    const size = sizeOf(shape);
    let array: TypedArrayFor<D>;
    if (data === undefined) array = allocate(dtype, size);
    else if (ArrayBuffer.isView(data) && dtypeOf(data as TypedArray) === dtype) array = data as TypedArrayFor<D>;
    else {
      array = allocate(dtype, data.length);
      array.set(data as ArrayLike<number>);
    }
    if (array.length !== size) {
      throw new ShapeError(`Tensor: ${array.length} values do not fill shape ${formatShape(shape)} (${size} elements)`);
    }
    return new Tensor(shape, dtype, array, null);
  }

  static fromArray<A extends TypedArray>(data: A, shape: Shape = [data.length]): Tensor {
    return Tensor.cpu(dtypeOf(data), shape, data);
  }

  /** Wraps GPU storage already filled by a device. Devices call this; users get GPU tensors from devices. */
  static onGpu<D extends DType>(dtype: D, shape: Shape, storage: GpuStorage): Tensor<D> {
    return new Tensor(shape, dtype, null, storage);
  }

  get location(): Location {
    return this.#gpu ? 'gpu' : 'cpu';
  }

  get byteLength(): number {
    return this.size * bytesPerElement(this.dtype);
  }

  get disposed(): boolean {
    return this.#data === null && this.#gpu === null;
  }

  /** The host data of a CPU tensor. GPU tensors are read with `device.read(tensor)`. */
  get data(): TypedArrayFor<D> {
    if (this.#data) return this.#data;
    throw new ShapeError(this.#gpu ? 'Tensor: data lives on the GPU; read it with device.read(tensor)' : 'Tensor: used after dispose()');
  }

  get gpu(): GpuStorage {
    if (this.#gpu) return this.#gpu;
    throw new ShapeError(this.#data ? 'Tensor: data lives on the CPU; upload it with device.upload(tensor)' : 'Tensor: used after dispose()');
  }

  /** Same data, another shape with the same number of elements (no copy). */
  reshape(shape: Shape): Tensor<D> {
    if (sizeOf(shape) !== this.size) {
      throw new ShapeError(`Tensor.reshape: ${formatShape(this.shape)} has ${this.size} elements, ${formatShape(shape)} has ${sizeOf(shape)}`);
    }
    return new Tensor(shape, this.dtype, this.#data, this.#gpu);
  }

  /** Frees GPU memory now (back to the device's pool) instead of waiting for garbage collection. */
  dispose(): void {
    this.#gpu?.release();
    this.#gpu = null;
    this.#data = null;
  }
}
