import * as z from 'zod';
import { indexSchema } from '../../config/sections/vector-index.js';
import { BundleError } from '../../errors.js';
import { diskIndexAdapter, type CaseSearchIndex, type DiskIndexKind } from '../../index/disk-index.js';
import { deserializeIndex, serializeIndex } from '../../index/persist/index-persistence.js';
import type { ScanPool } from '../../index/threads/scan-pool.js';
import type { VectorIndex } from '../../index/types.js';
import { bundlePathSchema } from '../bundle-path.js';
import type { InPlaceFiles } from '../in-place.js';
import { savedStage, type SavedStage, type StageFiles } from '../stage-kind.js';
import { decodeJson, encodeJson } from './json-file.js';
import { outOfDistributionSchema, type OutOfDistribution } from './out-of-distribution.js';

/** Roles of a disk index's table files: `table:` and the file's path inside the index folder. */
const TABLE_ROLE = 'table:';

/**
 * The case index: training embeddings for similar-case retrieval (and the kNN head), with each
 * case's id and label. A disk kind (lancedb) is a folder of the bundle: `index` names its
 * description file, and each file of its table has a role of its own (`table:<path>`), so every
 * one is listed and checksummed like any other bundle file.
 */
export const indexStageSchema = z
  .strictObject({
    kind: z.literal('index'),
    params: indexSchema,
    files: z.strictObject({ index: bundlePathSchema, cases: bundlePathSchema }).catchall(bundlePathSchema),
    /** Absent in bundles written before it existed: their predictions are not checked for it. */
    outOfDistribution: outOfDistributionSchema.optional(),
  })
  .superRefine((stage, ctx) => {
    for (const role of Object.keys(stage.files)) {
      if (role === 'index' || role === 'cases' || (stage.params.kind === 'lancedb' && role.startsWith(TABLE_ROLE))) continue;
      ctx.addIssue({ code: 'custom', path: ['files', role], message: `role "${role}" is not a file of a ${stage.params.kind} index (index, cases${stage.params.kind === 'lancedb' ? `, ${TABLE_ROLE}<path>` : ''})` });
    }
  });
export type IndexStage = z.output<typeof indexStageSchema>;

/** Index ids are positions in these lists. */
export interface CaseList {
  readonly ids: readonly string[];
  readonly labels: readonly string[];
}

const caseListSchema = z
  .strictObject({ ids: z.array(z.string()), labels: z.array(z.string()) })
  .refine((cases) => cases.ids.length === cases.labels.length, 'ids and labels must have the same length');

export interface CaseIndex {
  /** In memory (flat, HNSW) or, for `lancedb`, a table on disk that `release` closes. */
  readonly index: CaseSearchIndex;
  readonly cases: CaseList;
}

/** The folder of a disk index inside the bundle. */
const DISK_INDEX_FOLDER = 'index.lancedb';

type IndexParams = IndexStage['params'];
/** The params of the indexes kept in memory (saved as index.bin) and of those kept on disk (a folder of the bundle). */
export type MemoryIndexParams = Exclude<IndexParams, { kind: DiskIndexKind }>;
export type DiskIndexParams = Extract<IndexParams, { kind: DiskIndexKind }>;

export function saveIndexStage(index: VectorIndex, cases: CaseList, params: MemoryIndexParams, outOfDistribution?: OutOfDistribution): SavedStage<IndexStage> {
  const ood = outOfDistribution && { outOfDistribution };
  return savedStage({ kind: 'index', params, files: { index: 'index.bin', cases: 'cases.json' }, ...ood }, { index: serializeIndex(index), cases: encodeJson({ ids: cases.ids, labels: cases.labels }) });
}

/**
 * A disk kind's stage: the trained in-memory index written as the kind's table by the host's
 * adapter (INDEX_KIND_UNAVAILABLE without one), its folder's files in the bundle file by file.
 */
export async function saveDiskIndexStage(index: VectorIndex, cases: CaseList, params: DiskIndexParams, outOfDistribution?: OutOfDistribution): Promise<SavedStage<IndexStage>> {
  const ood = outOfDistribution && { outOfDistribution };
  const caseBytes = encodeJson({ ids: cases.ids, labels: cases.labels });
  const adapter = diskIndexAdapter(params.kind);
  const written = await adapter.write(index);
  const description = written.get(adapter.descriptionFile);
  if (!description) throw new BundleError('BUNDLE_INVALID', `the ${params.kind} index was written without its ${adapter.descriptionFile}`);
  const files: IndexStage['files'] = { index: `${DISK_INDEX_FOLDER}/${adapter.descriptionFile}`, cases: 'cases.json' };
  const bytes: StageFiles<IndexStage> & Record<string, Uint8Array> = { index: description, cases: caseBytes };
  for (const [path, content] of written) {
    if (path === adapter.descriptionFile) continue;
    files[`${TABLE_ROLE}${path}`] = `${DISK_INDEX_FOLDER}/${path}`;
    bytes[`${TABLE_ROLE}${path}`] = content;
  }
  return savedStage<IndexStage>({ kind: 'index', params, files, ...ood }, bytes);
}

/** Where a disk index lies in the bundle: its folder and its table's files (bundle paths); null for an in-memory kind. */
export function diskIndexLayout(stage: IndexStage): { folder: string; tablePaths: string[] } | null {
  if (stage.params.kind !== 'lancedb') return null;
  const cut = stage.files.index.lastIndexOf('/');
  if (cut <= 0) throw new BundleError('BUNDLE_INVALID', `the ${stage.params.kind} index's description "${stage.files.index}" must lie in the table's folder (e.g. ${DISK_INDEX_FOLDER}/)`);
  return { folder: stage.files.index.slice(0, cut), tablePaths: Object.entries(stage.files).flatMap(([role, path]) => (role.startsWith(TABLE_ROLE) ? [path] : [])) };
}

/**
 * Loads the case index. A disk kind needs the adapter of a host that can open it: in a browser,
 * INDEX_KIND_UNAVAILABLE names the kind. Its table is opened where it lies when the bundle was
 * loaded from a folder with the table verified in place (`inPlace`); otherwise from the verified
 * bytes in `files` (a `.tar`, HTTP), which the adapter writes to a private copy.
 */
export async function loadIndexStage(stage: IndexStage, files: StageFiles<IndexStage>, inPlace?: InPlaceFiles, pool?: ScanPool): Promise<CaseIndex> {
  const cases = decodeJson(files.cases, caseListSchema, stage.files.cases);
  const layout = diskIndexLayout(stage);
  if (stage.params.kind === 'lancedb' && layout) {
    const adapter = diskIndexAdapter(stage.params.kind);
    // The dimension is checked against PCA and the head by assertStagesAgree; the metric by the adapter.
    const expected = { metric: stage.params.metric };
    if (inPlace && layout.tablePaths.every((path) => inPlace.paths.has(path))) return { index: await adapter.openFolder(`${inPlace.root}/${layout.folder}`, expected), cases };
    const table = new Map<string, Uint8Array>([[adapter.descriptionFile, files.index]]);
    for (const [role, path] of Object.entries(stage.files)) {
      if (!role.startsWith(TABLE_ROLE)) continue;
      const bytes = files[role];
      if (!bytes) throw new BundleError('BUNDLE_CORRUPT', `bundle file "${path}" (index ${role}) is missing`);
      table.set(role.slice(TABLE_ROLE.length), bytes);
    }
    return { index: await adapter.open(table, expected), cases };
  }
  // A pool puts a flat index in shared memory, searched by the pool's threads (hnsw ignores it).
  const index = await deserializeIndex(files.index, pool ? { pool } : {});
  if (index.kind !== stage.params.kind) {
    throw new BundleError('BUNDLE_INVALID', `bundle file "${stage.files.index}" holds a ${index.kind} index, but its stage says ${stage.params.kind}`);
  }
  return { index, cases };
}
