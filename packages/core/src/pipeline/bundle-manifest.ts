import * as z from 'zod';

/** Bump when a reader of the previous version could not serve a new bundle. */
export const BUNDLE_SCHEMA_VERSION = 1;

const fileEntry = z.strictObject({
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * `manifest.json` of a model bundle: everything a server, the edge runtime or the browser viewer
 * needs to compute exactly what training computed, and a checksum of every other file.
 */
export const bundleManifestSchema = z.strictObject({
  schemaVersion: z.literal(BUNDLE_SCHEMA_VERSION),
  name: z.string().min(1),
  /** Registry version; null for a bundle that was built but not registered. */
  version: z.number().int().positive().nullable(),
  createdAt: z.string().describe('ISO 8601 time the bundle was written'),
  coreVersion: z.string().describe('@cvf/core version that wrote it'),
  configHash: z.string(),
  classes: z.array(z.string()).min(2),
  /** What the model accepts: image size and layout after decoding, and which DICOM it is meant for. */
  input: z.strictObject({
    height: z.number().int().positive(),
    width: z.number().int().positive(),
    channels: z.number().int().min(1).max(4),
    formats: z.array(z.enum(['png', 'jpeg', 'webp', 'dicom'])),
    photometricInterpretations: z.array(z.string()),
    modalities: z.array(z.string()).describe('DICOM modalities accepted; empty = any'),
  }),
  /** The resolved `preprocess` section of the training config. */
  preprocess: z.record(z.string(), z.unknown()),
  /** Each stage names its kind, its parameters and the bundle files holding its state. */
  stages: z.array(
    z.strictObject({
      name: z.string(),
      kind: z.string(),
      params: z.record(z.string(), z.unknown()),
      files: z.array(z.string()),
    }),
  ),
  thresholds: z.record(z.string(), z.number()).nullable(),
  /** How outputs become predictions: the temperature already in the head's graph (and applied to kNN votes), and how many top classes to report. Absent: 1 and 3. */
  postprocess: z.strictObject({ temperature: z.number().positive(), topK: z.number().int().positive() }).optional(),
  metrics: z.record(z.string(), z.unknown()),
  files: z.record(z.string(), fileEntry).describe('every other file of the bundle with its size and SHA-256'),
});

export type BundleManifest = z.infer<typeof bundleManifestSchema>;
export type BundleStage = BundleManifest['stages'][number];
