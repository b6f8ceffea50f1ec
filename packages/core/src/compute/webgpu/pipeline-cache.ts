import { ShaderError } from '../../errors.js';
import type { AnyKernel, Specs } from '../kernel.js';
import { assembleShader, pipelineKey } from './shader.js';
import type { UniformLayout } from './uniforms.js';

export interface CompiledKernel {
  readonly pipeline: GPUComputePipeline;
  readonly uniforms: UniformLayout;
}

/**
 * Compiled pipelines of one device, keyed by kernel name + dtypes + the kernel's init-time key.
 * Shapes live in uniforms, so a kernel compiles once per variant, not once per call.
 */
export class PipelineCache {
  readonly #device: GPUDevice;
  readonly #compiled = new Map<string, Promise<CompiledKernel>>();

  constructor(device: GPUDevice) {
    this.#device = device;
  }

  get size(): number {
    return this.#compiled.size;
  }

  get(kernel: AnyKernel, inputs: Specs<string>, outputs: Specs<string>, attrs: unknown): Promise<CompiledKernel> {
    const key = pipelineKey(kernel, inputs, outputs, attrs);
    let entry = this.#compiled.get(key);
    if (!entry) {
      entry = this.#compile(kernel, inputs, outputs, attrs);
      // A failed compile is not cached: the error reaches every caller that awaited it, then is forgotten.
      entry.catch(() => this.#compiled.delete(key));
      this.#compiled.set(key, entry);
    }
    return entry;
  }

  async #compile(kernel: AnyKernel, inputs: Specs<string>, outputs: Specs<string>, attrs: unknown): Promise<CompiledKernel> {
    const { code, uniforms } = assembleShader(kernel, inputs, outputs, attrs);
    const module = this.#device.createShaderModule({ label: kernel.name, code });
    try {
      const pipeline = await this.#device.createComputePipelineAsync({
        label: kernel.name,
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      });
      return { pipeline, uniforms };
    } catch (error) {
      const info = await module.getCompilationInfo();
      const messages = info.messages
        .filter((m) => m.type === 'error')
        .map((m) => `${m.lineNum}:${m.linePos}: ${m.message}`);
      throw new ShaderError(kernel.name, messages.length ? messages.join('; ') : String((error as Error).message ?? error));
    }
  }
}
