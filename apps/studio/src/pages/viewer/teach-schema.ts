import * as z from 'zod';

/**
 * POST /api/models/:name/teach — a head taught in the viewer, saved as a new version of the model
 * it was taught on. Only what the page computed is sent: the new head and case index files (the
 * taught images' embeddings, their labels, ids the page made up), the class list and the held-out
 * accuracy. Never pixels, file names or DICOM attributes; the server takes the extractor and PCA
 * from the base version and checks the result loads before registering it.
 */
export const teachRequestSchema = z.strictObject({
  baseVersion: z.int().positive(),
  classes: z.array(z.string().min(1).max(64)).min(2).max(64),
  /** The head stage record and index stage record as the page saved them (core's stage savers). */
  stages: z.strictObject({ head: z.record(z.string(), z.unknown()), index: z.record(z.string(), z.unknown()) }),
  /** The files of those two stages, base64. */
  files: z.record(z.string().max(128), z.string().max(4 << 20)),
  metrics: z.strictObject({
    examples: z.int().nonnegative(),
    heldOut: z.int().nonnegative(),
    heldOutAccuracy: z.number().min(0).max(1).nullable(),
    perClassAccuracy: z.record(z.string(), z.number().min(0).max(1).nullable()),
  }),
});
export type TeachRequest = z.infer<typeof teachRequestSchema>;

export const teachResponseSchema = z.strictObject({ name: z.string(), version: z.int().positive(), bundleDigest: z.string() });
export type TeachResponse = z.infer<typeof teachResponseSchema>;

export function teachUrl(name: string): string {
  return `/api/models/${encodeURIComponent(name)}/teach`;
}
