import * as z from 'zod';
import { BundleError } from '../errors.js';
import { MANIFEST_FILE } from './bundle-path.js';
import { BUNDLE_SCHEMA_VERSION, bundleFileEntrySchema, inputContractSchema } from './manifest.js';

/**
 * Schema version 1, as `cvf train` wrote it before typed stages: stages named by `name`, with a
 * free `kind` and params, and their files by position. Read only to upgrade to the current version.
 */
const manifestV1Schema = z.strictObject({
  schemaVersion: z.literal(1),
  name: z.string().min(1),
  version: z.int().positive().nullable(),
  createdAt: z.string(),
  coreVersion: z.string(),
  configHash: z.string(),
  classes: z.array(z.string()).min(2),
  input: inputContractSchema,
  preprocess: z.record(z.string(), z.unknown()),
  stages: z.array(z.strictObject({ name: z.string(), kind: z.string(), params: z.record(z.string(), z.unknown()), files: z.array(z.string()) })),
  thresholds: z.record(z.string(), z.number()).nullable(),
  postprocess: z.strictObject({ temperature: z.number().positive(), topK: z.int().positive() }).optional(),
  metrics: z.record(z.string(), z.unknown()),
  files: z.record(z.string(), bundleFileEntrySchema),
});
type ManifestV1 = z.output<typeof manifestV1Schema>;
type StageV1 = ManifestV1['stages'][number];

/** Top classes reported by version 1 bundles written before `postprocess` was in the manifest. */
const V1_DEFAULT_TOP_K = 3;

export function isManifestV1(raw: unknown): boolean {
  return (raw as { schemaVersion?: unknown } | null)?.schemaVersion === 1;
}

/**
 * A version 1 manifest in the current shape (not yet validated: the caller parses it with the
 * current schema, so an old bundle meets the same checks as a new one). Problems with the old
 * shape itself are reported as zod issues.
 */
export function upgradeManifestV1(raw: unknown): z.ZodSafeParseResult<unknown> {
  const parsed = manifestV1Schema.safeParse(raw);
  if (!parsed.success) return parsed;
  const { thresholds, postprocess, stages, ...rest } = parsed.data;
  const upgraded = stages.flatMap(upgradeStage);
  if (thresholds) upgraded.push({ kind: 'thresholds', params: { perClass: thresholds }, files: {} });
  upgraded.push({ kind: 'postprocess', params: postprocess ?? { temperature: 1, topK: Math.min(V1_DEFAULT_TOP_K, rest.classes.length) }, files: {} });
  if ('evaluation.json' in rest.files) upgraded.push({ kind: 'evaluation', params: {}, files: { report: 'evaluation.json' } });
  return { success: true, data: { ...rest, schemaVersion: BUNDLE_SCHEMA_VERSION, stages: upgraded } };
}

/** Version 1 stage → current stages (its index stage also held the thumbnails). */
function upgradeStage({ name, kind, params, files }: StageV1): Record<string, unknown>[] {
  switch (name) {
    case 'extractor':
      return [{ kind: 'extractor', params, files: { state: files[0] } }];
    case 'pca':
      return [{ kind: 'pca', params, files: { state: files[0] } }];
    case 'index':
      return [
        { kind: 'index', params: { ...params, kind }, files: { index: files[0], cases: files[1] } },
        ...(files[2] ? [{ kind: 'thumbnails', params: { size: 24 }, files: { thumbnails: files[2] } }] : []),
      ];
    case 'head':
      if (kind === 'knn') {
        const knn = (params.knn ?? {}) as Record<string, unknown>;
        return [{ kind: 'knn-head', params: { k: knn.k ?? 5, weighting: knn.weighting ?? 'distance' }, files: {} }];
      }
      return [{ kind: 'head', params: { head: kind, ...params }, files: { graph: files[0], state: files[1] } }];
    case 'composed':
      return [{ kind: 'composed', params, files: { graph: files[0] } }];
    default:
      throw new BundleError('BUNDLE_INVALID', `${MANIFEST_FILE} (schema version 1) has a stage "${name}", which is not one of extractor, pca, index, head, composed`);
  }
}
