import * as z from 'zod';
import { loadIndexStage, saveDiskIndexStage, saveIndexStage, indexStageSchema } from './kinds/case-index.js';
import { composedStageSchema, loadComposedStage, saveComposedStage } from './kinds/composed.js';
import { decisionStage, decisionStageSchema } from './kinds/decision.js';
import { ensembleStageSchema, loadEnsembleStage, saveEnsembleStage } from './kinds/ensemble.js';
import { evaluationStageSchema, loadEvaluationStage, saveEvaluationStage } from './kinds/evaluation.js';
import { extractorStageSchema, loadExtractorStage, saveExtractorStage } from './kinds/extractor.js';
import { headStageSchema, loadHeadStage, saveHeadStage } from './kinds/head.js';
import { knnHeadStage, knnHeadStageSchema } from './kinds/knn-head.js';
import { loadPcaStage, savePcaStage, pcaStageSchema } from './kinds/pca.js';
import { postprocessStage, postprocessStageSchema } from './kinds/postprocess.js';
import { loadReferenceStage, referenceStageSchema, saveReferenceStage } from './kinds/reference.js';
import { thresholdsStage, thresholdsStageSchema } from './kinds/thresholds.js';
import { loadThumbnailsStage, saveThumbnailsStage, thumbnailsStageSchema } from './kinds/thumbnails.js';

/**
 * Every kind of stage a bundle can hold: its manifest schema (params and files by role), how a
 * training run saves it and how a host loads it. Stages without files carry their params only.
 * A new kind is one module under kinds/ and one entry here (and in the union below).
 */
export const STAGE_KINDS = {
  extractor: { schema: extractorStageSchema, save: saveExtractorStage, load: loadExtractorStage },
  pca: { schema: pcaStageSchema, save: savePcaStage, load: loadPcaStage },
  // A disk kind (lancedb) is saved asynchronously, through the host's adapter: saveOnDisk.
  index: { schema: indexStageSchema, save: saveIndexStage, saveOnDisk: saveDiskIndexStage, load: loadIndexStage },
  head: { schema: headStageSchema, save: saveHeadStage, load: loadHeadStage },
  'knn-head': { schema: knnHeadStageSchema, save: knnHeadStage, load: null },
  composed: { schema: composedStageSchema, save: saveComposedStage, load: loadComposedStage },
  postprocess: { schema: postprocessStageSchema, save: postprocessStage, load: null },
  thresholds: { schema: thresholdsStageSchema, save: thresholdsStage, load: null },
  decision: { schema: decisionStageSchema, save: decisionStage, load: null },
  thumbnails: { schema: thumbnailsStageSchema, save: saveThumbnailsStage, load: loadThumbnailsStage },
  reference: { schema: referenceStageSchema, save: saveReferenceStage, load: loadReferenceStage },
  evaluation: { schema: evaluationStageSchema, save: saveEvaluationStage, load: loadEvaluationStage },
  ensemble: { schema: ensembleStageSchema, save: saveEnsembleStage, load: loadEnsembleStage },
} as const;

/** A stage of the manifest: discriminated by `kind`, so each kind's params and files are typed. */
export const bundleStageSchema = z.discriminatedUnion('kind', [
  STAGE_KINDS.extractor.schema,
  STAGE_KINDS.pca.schema,
  STAGE_KINDS.index.schema,
  STAGE_KINDS.head.schema,
  STAGE_KINDS['knn-head'].schema,
  STAGE_KINDS.composed.schema,
  STAGE_KINDS.postprocess.schema,
  STAGE_KINDS.thresholds.schema,
  STAGE_KINDS.decision.schema,
  STAGE_KINDS.thumbnails.schema,
  STAGE_KINDS.reference.schema,
  STAGE_KINDS.evaluation.schema,
  STAGE_KINDS.ensemble.schema,
]);
export type BundleStage = z.output<typeof bundleStageSchema>;
export type StageKindName = keyof typeof STAGE_KINDS;
export type StageOfKind<K extends StageKindName> = Extract<BundleStage, { kind: K }>;

