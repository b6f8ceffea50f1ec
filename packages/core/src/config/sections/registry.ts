import * as z from 'zod';

/**
 * A model alias: a short lower-case word (`staging`, `production`, `canary`, `shadow-eu`). One
 * schema for `registry.alias` in the YAML and for `cvf models promote --alias` (the registry's
 * `setAlias`), so both accept the same names.
 */
export const aliasSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, { error: 'an alias must be a lower-case word such as staging or production (a letter, then up to 31 letters, digits or "-")' })
  .describe('a lower-case word such as staging or production (a letter, then up to 31 letters, digits or "-")');

export const registrySchema = z
  .strictObject({
    register: z.boolean().default(false).describe('register the trained bundle as a new model version'),
    modelName: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'expected letters, digits, ".", "_" or "-"' })
      .optional()
      .describe('registered model name; default: the pipeline name'),
    alias: aliasSchema.optional().describe('alias moved to the new version, e.g. staging; default: none'),
  })
  .superRefine((r, ctx) => {
    if (r.alias !== undefined && !r.register) {
      ctx.addIssue({ code: 'custom', path: ['alias'], message: `alias ${r.alias} needs register: true` });
    }
  })
  .prefault({})
  .describe('model registry');
