import * as z from 'zod';
import { indexSchema } from '../../config/sections/vector-index.js';
import { BundleError } from '../../errors.js';
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
  readonly index: VectorIndex;
  readonly cases: CaseList;
}

export function saveIndexStage(index: VectorIndex, cases: CaseList, params: IndexStage['params'], outOfDistribution?: OutOfDistribution): SavedStage<IndexStage> {
  return savedStage(
    { kind: 'index', params, files: { index: 'index.bin', cases: 'cases.json' }, ...(outOfDistribution && { outOfDistribution }) },
    { index: serializeIndex(index), cases: encodeJson({ ids: cases.ids, labels: cases.labels }) },
  );
}

export async function loadIndexStage(stage: IndexStage, files: StageFiles<IndexStage>): Promise<CaseIndex> {
  const index = await deserializeIndex(files.index);
  const cases = decodeJson(files.cases, caseListSchema, stage.files.cases);
  if (index.kind !== stage.params.kind) {
    throw new BundleError('BUNDLE_INVALID', `bundle file "${stage.files.index}" holds a ${index.kind} index, but its stage says ${stage.params.kind}`);
  }
  return { index, cases };
}
