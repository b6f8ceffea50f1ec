import { DeviceLostError, DtypeError, ShapeError, WebGpuValidationError } from '../../errors.js';
import { allocate, bytesPerElement, viewAs, type DType, type TypedArrayFor } from '../dtype.js';
import type { AdapterDescription, Device } from '../device.js';
import type { KernelDef, TensorSpec } from '../kernel.js';
import { prepareCall } from '../kernel-call.js';
import { sizeOf } from '../shape.js';
import { Tensor, type GpuStorage } from '../tensor.js';
import { BufferPool } from './buffer-pool.js';
import { BufferUsage, MapMode } from './constants.js';
import { PipelineCache } from './pipeline-cache.js';
import { ELEMENTWISE_WORKGROUP } from './shader.js';
import { packUniforms } from './uniforms.js';

const STORAGE_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
const UNIFORM_USAGE = BufferUsage.UNIFORM | BufferUsage.COPY_DST;
const STAGING_USAGE = BufferUsage.MAP_READ | BufferUsage.COPY_DST;

let nextDeviceId = 1;

/** Kernels on a WebGPU device: pooled buffers, cached pipelines, tensors that stay on the GPU. */
export class WebGpuDevice implements Device {
  readonly backend = 'webgpu' as const;
  readonly adapter: AdapterDescription;
  readonly gpu: GPUDevice;
  readonly id = nextDeviceId++;
  readonly #pool: BufferPool;
  readonly #pipelines: PipelineCache;
  #lostReason: string | null = null;
  #validationError: string | null = null;
  #destroyed = false;

  constructor(gpu: GPUDevice, adapter: AdapterDescription) {
    this.gpu = gpu;
    this.adapter = adapter;
    this.#pool = new BufferPool(gpu);
    this.#pipelines = new PipelineCache(gpu);
    gpu.lost.then((info) => {
      if (!this.#destroyed) this.#lostReason = info.message || info.reason || 'unknown reason';
    });
    // A validation error the checks below missed would otherwise leave outputs silently unwritten:
    // it is kept and thrown by the next call, so no result computed after it is trusted.
    gpu.addEventListener('uncapturederror', (event) => {
      this.#validationError ??= (event as GPUUncapturedErrorEvent).error.message;
    });
  }

  get compiledPipelines(): number {
    return this.#pipelines.size;
  }

  /** GPU buffer bytes this device holds (in use by tensors, or idle in its pool) and the most it held at once: a leak check for training loops. */
  get bufferBytes(): { readonly allocated: number; readonly idle: number; readonly peak: number } {
    return { allocated: this.#pool.allocatedBytes, idle: this.#pool.idleBytes, peak: this.#pool.peakAllocatedBytes };
  }

  upload<D extends DType>(tensor: Tensor<D>): Tensor<D> {
    this.#assertUsable();
    if (tensor.location === 'gpu') {
      if (tensor.gpu.deviceId !== this.id) throw new ShapeError('WebGpuDevice: tensor belongs to another GPU device; read it and upload it here');
      return tensor;
    }
    const data = tensor.data;
    // writeBuffer needs a multiple of 4 bytes: narrow types are padded to whole 32-bit words.
    const padded = Math.ceil(data.byteLength / 4) * 4;
    const storage = this.#allocate(padded);
    if (padded === data.byteLength) {
      this.gpu.queue.writeBuffer(storage.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    } else {
      const bytes = new Uint8Array(padded);
      bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      this.gpu.queue.writeBuffer(storage.buffer, 0, bytes);
    }
    return Tensor.onGpu(tensor.dtype, tensor.shape, storage);
  }

  async run<I extends string, O extends string, A>(kernel: KernelDef<I, O, A>, inputs: { readonly [K in I]: Tensor }, attrs: A): Promise<{ [K in O]: Tensor }> {
    this.#assertUsable();
    const { inputSpecs, outputSpecs } = prepareCall(kernel, inputs, attrs);
    for (const [name, spec] of Object.entries<TensorSpec>(outputSpecs)) {
      if (spec.dtype !== 'f32' && spec.dtype !== 'i32') throw new DtypeError(`kernel "${kernel.name}": GPU output "${name}" must be f32 or i32, not ${spec.dtype}`);
    }
    const maxBinding = this.gpu.limits.maxStorageBufferBindingSize;
    for (const [name, spec] of [...Object.entries<TensorSpec>(inputSpecs), ...Object.entries<TensorSpec>(outputSpecs)]) {
      const bytes = sizeOf(spec.shape) * bytesPerElement(spec.dtype);
      if (bytes > maxBinding) {
        throw new ShapeError(`kernel "${kernel.name}": "${name}" holds ${bytes} bytes, over this device's largest storage binding (${maxBinding}); split the work into smaller batches`);
      }
    }
    const outputs: Record<string, Tensor> = {};
    for (const [name, spec] of Object.entries<TensorSpec>(outputSpecs)) {
      outputs[name] = Tensor.onGpu(spec.dtype, spec.shape, this.#allocate(sizeOf(spec.shape) * bytesPerElement(spec.dtype)));
    }
    const launch = kernel.wgsl.launch(inputSpecs, attrs, outputSpecs);
    const empty = launch.kind === 'elementwise' ? launch.invocations === 0 : launch.count.some((c) => c === 0);
    if (empty) return outputs as { [K in O]: Tensor };

    const compiled = await this.#pipelines.get(kernel, inputSpecs, outputSpecs, attrs);
    this.#assertUsable();
    const values: Record<string, number | readonly number[]> = { ...kernel.wgsl.uniformValues(inputSpecs, attrs, outputSpecs) };
    let workgroups: [number, number, number];
    if (launch.kind === 'elementwise') {
      workgroups = this.#spread(Math.ceil(launch.invocations / ELEMENTWISE_WORKGROUP));
      values.invocations_ = launch.invocations;
      values.row_stride_ = workgroups[0] * ELEMENTWISE_WORKGROUP;
    } else {
      workgroups = [...launch.count];
      const max = this.gpu.limits.maxComputeWorkgroupsPerDimension;
      if (workgroups.some((c) => c > max)) throw new ShapeError(`kernel "${kernel.name}": launch of [${workgroups.join(', ')}] workgroups exceeds the device limit ${max} per dimension`);
    }

    const uniform = this.#pool.acquire(compiled.uniforms.size, UNIFORM_USAGE);
    this.gpu.queue.writeBuffer(uniform, 0, packUniforms(compiled.uniforms, values, kernel.name));
    const uploaded: Tensor[] = [];
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniform } }];
    for (const name of Object.keys(kernel.inputs)) {
      const given = (inputs as Record<string, Tensor>)[name]!;
      const onGpu = this.upload(given);
      if (onGpu !== given) uploaded.push(onGpu);
      entries.push({ binding: entries.length, resource: { buffer: onGpu.gpu.buffer } });
    }
    for (const tensor of Object.values(outputs)) entries.push({ binding: entries.length, resource: { buffer: tensor.gpu.buffer } });

    const bindGroup = this.gpu.createBindGroup({ layout: compiled.pipeline.getBindGroupLayout(0), entries });
    const encoder = this.gpu.createCommandEncoder({ label: kernel.name });
    const pass = encoder.beginComputePass();
    pass.setPipeline(compiled.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(...workgroups);
    pass.end();
    this.gpu.queue.submit([encoder.finish()]);
    this.#pool.release(uniform);
    for (const tensor of uploaded) tensor.dispose();
    return outputs as { [K in O]: Tensor };
  }

  async read<D extends DType>(tensor: Tensor<D>): Promise<TypedArrayFor<D>> {
    if (tensor.location === 'cpu') return tensor.data;
    this.#assertUsable();
    const byteLength = tensor.byteLength;
    if (byteLength === 0) return allocate(tensor.dtype, 0);
    const padded = Math.ceil(byteLength / 4) * 4;
    const staging = this.#pool.acquire(padded, STAGING_USAGE);
    const encoder = this.gpu.createCommandEncoder({ label: 'read' });
    encoder.copyBufferToBuffer(tensor.gpu.buffer, 0, staging, 0, padded);
    this.gpu.queue.submit([encoder.finish()]);
    try {
      await staging.mapAsync(MapMode.READ, 0, padded);
    } catch (error) {
      this.#assertUsable();
      throw error;
    }
    const copy = staging.getMappedRange(0, padded).slice(0);
    staging.unmap();
    this.#pool.release(staging);
    return viewAs(tensor.dtype, copy, tensor.size);
  }

  async synchronize(): Promise<void> {
    this.#assertUsable();
    await this.gpu.queue.onSubmittedWorkDone();
    this.#assertUsable();
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#pool.clear();
    this.gpu.destroy();
  }

  #allocate(byteLength: number): GpuStorage {
    const buffer = this.#pool.acquire(Math.max(4, byteLength), STORAGE_USAGE);
    let released = false;
    return {
      buffer,
      deviceId: this.id,
      release: () => {
        if (released || this.#destroyed) return;
        released = true;
        this.#pool.release(buffer);
      },
    };
  }

  /** Spreads a 1-D workgroup count over x and y, since each dimension is limited (65,535 by default). */
  #spread(count: number): [number, number, number] {
    const max = this.gpu.limits.maxComputeWorkgroupsPerDimension;
    if (count <= max) return [count, 1, 1];
    const y = Math.ceil(count / max);
    return [Math.ceil(count / y), y, 1];
  }

  #assertUsable(): void {
    if (this.#lostReason !== null) throw new DeviceLostError(this.#lostReason);
    if (this.#validationError !== null) throw new WebGpuValidationError(this.#validationError);
    if (this.#destroyed) throw new DeviceLostError('destroyed by destroy()');
  }
}
