import * as z from 'zod';

export const computeSchema = z
  .strictObject({
    device: z
      .enum(['auto', 'webgpu', 'cpu'])
      .default('auto')
      .describe('auto: WebGPU when an adapter exists, else CPU; webgpu: fail without an adapter; cpu: never use the GPU'),
    threads: z.int().min(0).default(0).describe('CPU worker threads; 0 uses one per core'),
  })
  .prefault({})
  .describe('where kernels run');
