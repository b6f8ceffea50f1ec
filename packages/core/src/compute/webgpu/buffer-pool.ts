/**
 * Reuses GPU buffers of the same size and usage instead of creating and destroying one per kernel
 * call: training loops and pipelines run the same shapes over and over. Sizes are rounded up to
 * 256 bytes so near-equal tensors share buffers; an idle-bytes cap keeps the pool from hoarding.
 */
export class BufferPool {
  readonly #device: GPUDevice;
  readonly #free = new Map<string, GPUBuffer[]>();
  readonly #maxIdleBytes: number;
  #idleBytes = 0;
  /** Bytes of the buffers created and not yet destroyed (in use or idle), and the most at once. */
  #allocatedBytes = 0;
  #peakAllocatedBytes = 0;

  constructor(device: GPUDevice, maxIdleBytes = 256 * 1024 * 1024) {
    this.#device = device;
    this.#maxIdleBytes = maxIdleBytes;
  }

  static roundSize(byteLength: number): number {
    return Math.max(256, Math.ceil(byteLength / 256) * 256);
  }

  acquire(byteLength: number, usage: number): GPUBuffer {
    const size = BufferPool.roundSize(byteLength);
    const bucket = this.#free.get(`${usage}:${size}`);
    const reused = bucket?.pop();
    if (reused) {
      this.#idleBytes -= size;
      return reused;
    }
    this.#allocatedBytes += size;
    this.#peakAllocatedBytes = Math.max(this.#peakAllocatedBytes, this.#allocatedBytes);
    return this.#device.createBuffer({ size, usage });
  }

  /** Takes a buffer back. Safe right after a submit: later queue writes are ordered after that work. */
  release(buffer: GPUBuffer): void {
    if (this.#idleBytes + buffer.size > this.#maxIdleBytes) {
      this.#allocatedBytes -= buffer.size;
      buffer.destroy();
      return;
    }
    const key = `${buffer.usage}:${buffer.size}`;
    let bucket = this.#free.get(key);
    if (!bucket) this.#free.set(key, (bucket = []));
    bucket.push(buffer);
    this.#idleBytes += buffer.size;
  }

  get idleBytes(): number {
    return this.#idleBytes;
  }

  get allocatedBytes(): number {
    return this.#allocatedBytes;
  }

  get peakAllocatedBytes(): number {
    return this.#peakAllocatedBytes;
  }

  clear(): void {
    this.#allocatedBytes -= this.#idleBytes;
    for (const bucket of this.#free.values()) for (const buffer of bucket) buffer.destroy();
    this.#free.clear();
    this.#idleBytes = 0;
  }
}
