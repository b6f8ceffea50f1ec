import * as z from 'zod';
import { indexSchema } from '../../config/sections/vector-index.js';
import { BundleError } from '../../errors.js';
import { diskIndexAdapter, type CaseSearchIndex } from '../../index/disk-index.js';
import { deserializeIndex, serializeIndex } from '../../index/persist/index-persistence.js';
import type { VectorIndex } from '../../index/types.js';
import { bundlePathSchema } from '../bundle-path.js';
import { savedStage, type SavedStage, type StageFiles } from '../stage-kind.js';
import { decodeJson, encodeJson } from './json-file.js';
import { outOfDistributionSchema, type OutOfDistribution } from './out-of-distribution.js';

/** The case index: training embeddings for similar-case retrieval (and the kNN head), with each case's id and label. */
export const indexStageSchema = z.strictObject({
  kind: z.literal('index'),
  params: indexSchema,
  files: z.strictObject({ index: bundlePathSchema, cases: bundlePathSchema }),
  /** Absent in bundles written before it existed: their predictions are not checked for it. */
  outOfDistribution: outOfDistributionSchema.optional(),
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

/** Where a disk index's files sit in the bundle: its listing names them, relative to this folder. */
const DISK_INDEX_FOLDER = 'index.lancedb';

/** The `index` file of a disk kind: the files of its folder (each also listed, with its checksum, in the manifest). */
const diskListingSchema = z.strictObject({ folder: z.literal(DISK_INDEX_FOLDER), files: z.array(z.string()).min(1) });

export async function saveIndexStage(index: VectorIndex, cases: CaseList, params: IndexStage['params'], outOfDistribution?: OutOfDistribution): Promise<SavedStage<IndexStage>> {
  const caseBytes = encodeJson({ ids: cases.ids, labels: cases.labels });
  if (params.kind !== 'lancedb') {
    return savedStage(
      { kind: 'index', params, files: { index: 'index.bin', cases: 'cases.json' }, ...(outOfDistribution && { outOfDistribution }) },
      { index: serializeIndex(index), cases: caseBytes },
    );
  }
  // The table's folder goes into the bundle file by file, so every file is checksummed and verified on load.
  const table = await diskIndexAdapter(params.kind).write(index);
  const saved = savedStage<IndexStage>(
    { kind: 'index', params, files: { index: `${DISK_INDEX_FOLDER}.json`, cases: 'cases.json' }, ...(outOfDistribution && { outOfDistribution }) },
    { index: encodeJson({ folder: DISK_INDEX_FOLDER, files: [...table.keys()] }), cases: caseBytes },
  );
  const files = new Map(saved.files);
  for (const [path, bytes] of table) files.set(`${DISK_INDEX_FOLDER}/${path}`, bytes);
  return { stage: saved.stage, files };
}

/**
 * Loads the case index. A disk kind needs the bundle's other files (its table) and the adapter of
 * a host that can open it: in a browser, INDEX_KIND_UNAVAILABLE names the kind.
 */
export async function loadIndexStage(stage: IndexStage, files: StageFiles<IndexStage>, bundleFiles: ReadonlyMap<string, Uint8Array> = new Map()): Promise<CaseIndex> {
  const cases = decodeJson(files.cases, caseListSchema, stage.files.cases);
  if (stage.params.kind === 'lancedb') {
    const adapter = diskIndexAdapter(stage.params.kind);
    const listing = decodeJson(files.index, diskListingSchema, stage.files.index);
    const table = new Map<string, Uint8Array>();
    for (const path of listing.files) {
      const bytes = bundleFiles.get(`${listing.folder}/${path}`);
      if (!bytes) throw new BundleError('BUNDLE_CORRUPT', `bundle file "${listing.folder}/${path}" (a file of the LanceDB case index) is missing`);
      table.set(path, bytes);
    }
    // The dimension is checked against PCA and the head by assertStagesAgree; here, against the table's own description.
    return { index: await adapter.open(table, { metric: stage.params.metric }), cases };
  }
  const index = await deserializeIndex(files.index);
  if (index.kind !== stage.params.kind) {
    throw new BundleError('BUNDLE_INVALID', `bundle file "${stage.files.index}" holds a ${index.kind} index, but its stage says ${stage.params.kind}`);
  }
  return { index, cases };
}
