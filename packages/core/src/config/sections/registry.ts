import * as z from 'zod';

export const registrySchema = z
  .strictObject({
    register: z.boolean().default(false).describe('register the trained bundle as a new model version'),
    modelName: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'expected letters, digits, ".", "_" or "-"' })
      .optional()
      .describe('registered model name; default: the pipeline name'),
    alias: z.enum(['staging', 'production']).optional().describe('alias moved to the new version; default: none'),
  })
  .superRefine((r, ctx) => {
    if (r.alias !== undefined && !r.register) {
      ctx.addIssue({ code: 'custom', path: ['alias'], message: `alias ${r.alias} needs register: true` });
    }
  })
  .prefault({})
  .describe('model registry');
