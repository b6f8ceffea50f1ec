import { collectStages } from '../../bundle/bundle.js';
import { BUNDLE_SCHEMA_VERSION, type BundleManifest, type InputContract, type UnsealedManifest } from '../../bundle/manifest.js';
import { STAGE_KINDS } from '../../bundle/stage-table.js';
import type { DecisionParams } from '../../bundle/kinds/decision.js';
import type { PipelineConfig } from '../../config/schema.js';
import type { LabeledSample } from '../../data/dataset.js';
import type { FeatureExtractor } from '../../features/feature-extractor.js';
import type { Pca } from '../../features/pca/pca.js';
import type { VectorIndex } from '../../index/types.js';
import { computeInputReference } from '../../monitor/input-drift/input-reference.js';
import { computeReferenceStatistics } from '../../monitor/reference-statistics.js';
import { CORE_VERSION } from '../../version.js';
import { composeBundleGraph, COMPOSED_GRAPH_INPUT } from '../composed-graph.js';
import type { StageRun } from './context.js';
import type { ModelEvaluation } from './evaluate.js';
import type { TrainedModel } from './head.js';
import type { OriginalRows } from './index.js';
import { outOfDistributionThreshold } from './ood-threshold.js';

export interface BundleParts {
  readonly configHash: string;
  readonly classes: string[];
  /** The train split: the cases of the index, in index-id order. */
  readonly cases: readonly LabeledSample[];
  readonly extractor: FeatureExtractor;
  /** The extractor stage's params when they are not the config's `features` (a CNN's exported network). */
  readonly extractorParams?: PipelineConfig['features'];
  readonly pca: Pca | null;
  readonly index: VectorIndex;
  readonly originals: OriginalRows;
  readonly model: TrainedModel;
  readonly evaluation: ModelEvaluation;
  /** Operating points chosen on val and the referral policy. */
  readonly decision: DecisionParams;
}

/**
 * The model bundle: every stage's saved state, so serving computes exactly what was evaluated —
 * the extractor, PCA, the case index with its labels and thumbnails, the head as ONNX (and the whole
 * forward pass as one graph when the backbone is ONNX), the post-processing, the evaluation report,
 * and the drift reference that monitoring compares live inputs with (embeddings and images).
 */
export async function writeModelBundle(run: StageRun, parts: BundleParts): Promise<{ location: string; manifest: BundleManifest }> {
  const { config, env, runId, progress } = run;
  const { classes, extractor, pca, index, model, evaluation, originals } = parts;
  progress({ stage: 'bundle', done: 0, total: 1 });
  const { temperature } = evaluation;
  const caseList = { ids: parts.cases.map((s) => s.id), labels: parts.cases.map((s) => s.label) };
  const outOfDistribution = outOfDistributionThreshold(index, originals, config.index.metric) ?? undefined;
  const { stages, files } = collectStages([
    STAGE_KINDS.extractor.save(extractor, parts.extractorParams ?? config.features),
    ...(pca ? [STAGE_KINDS.pca.save(pca)] : []),
    config.index.kind === 'lancedb'
      ? await STAGE_KINDS.index.saveOnDisk(index, caseList, config.index, outOfDistribution)
      : STAGE_KINDS.index.save(index, caseList, config.index, outOfDistribution),
    model.kind === 'head' ? STAGE_KINDS.head.save(model.head, temperature) : STAGE_KINDS['knn-head'].save(model.knn),
    // With an ONNX backbone the whole forward pass is also one graph, for runtimes that have only ONNX Runtime.
    ...(extractor.kind === 'onnx'
      ? [STAGE_KINDS.composed.save({ graph: composeBundleGraph({ preprocess: config.preprocess, extractor, pca: pca?.state ?? null, head: model.kind === 'head' ? model.head : null, temperature }), input: COMPOSED_GRAPH_INPUT, outputs: model.kind === 'head' ? ['probabilities', 'features'] : ['features'] })]
      : []),
    STAGE_KINDS.postprocess.save({ temperature, topK: Math.min(config.postprocess.topK, classes.length) }),
    ...(evaluation.threshold ? [STAGE_KINDS.thresholds.save({ [evaluation.threshold.label]: evaluation.threshold.value })] : []),
    STAGE_KINDS.decision.save(parts.decision),
    await STAGE_KINDS.thumbnails.save(parts.cases, env.device),
    STAGE_KINDS.reference.save({
      ...computeReferenceStatistics({ space: pca ? 'pca' : 'features', features: originals.features, rows: originals.labels.length, dim: originals.dim, labels: originals.labels, classCount: classes.length, seed: config.train.seed }),
      input: await computeInputReference(parts.cases, { device: env.device, scale: config.preprocess.normalize.scale, seed: config.train.seed }),
    }),
    STAGE_KINDS.evaluation.save(evaluation.test),
  ]);
  const manifest: UnsealedManifest = {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    name: config.registry.modelName ?? config.name,
    version: null,
    createdAt: new Date().toISOString(),
    coreVersion: CORE_VERSION,
    configHash: parts.configHash,
    classes,
    input: inputContract(config),
    preprocess: config.preprocess,
    stages,
    metrics: { val: evaluation.metrics.val, test: evaluation.metrics.test },
  };
  const written = await env.writeBundle(runId, manifest, files);
  await env.tracker.setTags(runId, { bundle: written.location });
  progress({ stage: 'bundle', done: 1, total: 1, message: written.location });
  return written;
}

function inputContract(config: PipelineConfig): InputContract {
  const rgb = config.preprocess.color === 'rgb';
  return {
    height: config.preprocess.resize.height,
    width: config.preprocess.resize.width,
    channels: rgb ? 3 : 1,
    formats: ['png', 'jpeg', 'webp', 'dicom'],
    photometricInterpretations: rgb ? ['RGB', 'YBR_FULL', 'YBR_FULL_422', 'PALETTE COLOR', 'MONOCHROME1', 'MONOCHROME2'] : ['MONOCHROME1', 'MONOCHROME2', 'RGB'],
    modalities: 'modality' in config.data.source ? [...(config.data.source.modality ?? [])] : [],
    ...(config.input.bodyParts && { bodyParts: [...config.input.bodyParts] }),
    ...(config.input.bitsStored && { bitsStored: [...config.input.bitsStored] }),
    ...(config.input.minSize && { minSize: { ...config.input.minSize } }),
    ...(config.input.maxSize && { maxSize: { ...config.input.maxSize } }),
  };
}
