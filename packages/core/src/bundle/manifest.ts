import * as z from 'zod';
import { preprocessSchema } from '../config/sections/preprocess.js';
import { bundlePathSchema } from './bundle-path.js';
import { bundleStageSchema } from './stage-table.js';

/** Bump when a reader of the previous version could not serve a new bundle; older versions keep loading (see manifest-v1.ts). */
export const BUNDLE_SCHEMA_VERSION = 2;

export const bundleFileEntrySchema = z.strictObject({
  size: z.int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** What the model accepts: image size and layout after decoding, and which DICOM it is meant for. */
export const inputContractSchema = z.strictObject({
  height: z.int().positive(),
  width: z.int().positive(),
  channels: z.int().min(1).max(4),
  formats: z.array(z.enum(['png', 'jpeg', 'webp', 'dicom'])),
  photometricInterpretations: z.array(z.string()),
  modalities: z.array(z.string()).describe('DICOM modalities accepted; empty = any'),
  // Written since the input contract is enforced; absent in older bundles, meaning "any".
  bodyParts: z.array(z.string()).optional().describe('DICOM Body Part Examined values accepted; absent = any'),
  bitsStored: z.array(z.int().min(1).max(32)).optional().describe('DICOM Bits Stored values accepted; absent = any'),
  minSize: z.strictObject({ height: z.int().positive(), width: z.int().positive() }).optional().describe('smallest decoded image accepted; absent = any'),
  maxSize: z.strictObject({ height: z.int().positive(), width: z.int().positive() }).optional().describe('largest decoded image accepted; absent = any'),
});
export type InputContract = z.output<typeof inputContractSchema>;

/** Scalar metrics by split; JSON has no NaN, so an undefined score is null. */
const metricsSchema = z.record(z.string(), z.record(z.string(), z.number().nullable()));

const manifestFields = {
  name: z.string().min(1),
  /** Registry version; null for a bundle that was built but not registered. */
  version: z.int().positive().nullable(),
  createdAt: z.string().describe('ISO 8601 time the bundle was written'),
  coreVersion: z.string().describe('@cvf/core version that wrote it'),
  configHash: z.string(),
  classes: z.array(z.string()).min(2),
  input: inputContractSchema,
  /** The resolved `preprocess` section of the training config. */
  preprocess: preprocessSchema,
  /** In data-flow order; one stage per kind. */
  stages: z.array(bundleStageSchema).superRefine((stages, ctx) => {
    const seen = new Set<string>();
    stages.forEach((stage, i) => {
      if (seen.has(stage.kind)) ctx.addIssue({ code: 'custom', path: [i, 'kind'], message: `a second "${stage.kind}" stage (one per kind)` });
      seen.add(stage.kind);
    });
  }),
  metrics: metricsSchema,
};

/** The manifest before its files are sealed: what a training run describes. */
export const unsealedManifestSchema = z.strictObject({ schemaVersion: z.literal(BUNDLE_SCHEMA_VERSION), ...manifestFields });
export type UnsealedManifest = z.output<typeof unsealedManifestSchema>;

/**
 * `manifest.json` of a model bundle (schema version 2): everything a server, the edge runtime or
 * the browser viewer needs to compute exactly what training computed, and the size and SHA-256 of
 * every other file. Every file belongs to exactly one stage, by a relative path inside the bundle.
 */
export const bundleManifestSchema = z
  .strictObject({
    schemaVersion: z.literal(BUNDLE_SCHEMA_VERSION),
    ...manifestFields,
    files: z.record(bundlePathSchema, bundleFileEntrySchema).describe('every file of the bundle but the manifest, with its size and SHA-256'),
  })
  .superRefine((manifest, ctx) => {
    const classes = new Set(manifest.classes);
    if (classes.size !== manifest.classes.length) ctx.addIssue({ code: 'custom', path: ['classes'], message: 'a class is listed twice' });
    for (const [i, stage] of manifest.stages.entries()) {
      if (stage.kind === 'thresholds') {
        for (const label of Object.keys(stage.params.perClass)) {
          if (!classes.has(label)) ctx.addIssue({ code: 'custom', path: ['stages', i, 'params', 'perClass', label], message: `"${label}" is not one of the classes` });
        }
      }
      if (stage.kind === 'decision') {
        const named = [...stage.params.operatingPoints.map((point) => point.label), ...(stage.params.positiveClass === null ? [] : [stage.params.positiveClass])];
        for (const label of named) if (!classes.has(label)) ctx.addIssue({ code: 'custom', path: ['stages', i, 'params'], message: `decision names "${label}", which is not one of the classes` });
      }
      if (stage.kind === 'postprocess' && stage.params.topK > manifest.classes.length) {
        ctx.addIssue({ code: 'custom', path: ['stages', i, 'params', 'topK'], message: `topK ${stage.params.topK} exceeds the ${manifest.classes.length} classes` });
      }
    }
    const owned = new Set<string>();
    manifest.stages.forEach((stage, i) => {
      for (const [role, path] of Object.entries(stage.files)) {
        if (!(path in manifest.files)) ctx.addIssue({ code: 'custom', path: ['stages', i, 'files', role], message: `stage "${stage.kind}" names "${path}", which is not among the bundle's files` });
        if (owned.has(path)) ctx.addIssue({ code: 'custom', path: ['stages', i, 'files', role], message: `"${path}" belongs to two stages` });
        owned.add(path);
      }
    });
    for (const path of Object.keys(manifest.files)) {
      if (!owned.has(path)) ctx.addIssue({ code: 'custom', path: ['files', path], message: `"${path}" belongs to no stage` });
    }
  });
export type BundleManifest = z.output<typeof bundleManifestSchema>;
