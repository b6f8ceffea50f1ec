import * as z from 'zod';
import { BundleError } from '../../errors.js';
import type { InputReference } from '../../monitor/input-drift/input-reference.js';
import type { ReferenceStatistics } from '../../monitor/reference-statistics.js';
import { decodeInputReference, encodeInputReference } from './input-reference-file.js';
import { decodeTensorArchive, encodeTensorArchive, type ArchiveTensor } from '../../train/tensor-archive.js';
import { bundlePathSchema } from '../bundle-path.js';
import { savedStage, type SavedStage, type StageFiles } from '../stage-kind.js';

/**
 * The drift reference: statistics and a sample of the training embeddings, and the class prior;
 * and, in bundles trained since the input detector, statistics of the training images themselves
 * (optional, so older bundles keep loading: their reference has no `input`).
 */
export const referenceStageSchema = z.strictObject({
  kind: z.literal('reference'),
  params: z.strictObject({
    space: z.enum(['pca', 'features']).describe('the embeddings summarised: PCA components, or the extractor features without PCA'),
    count: z.int().positive().describe('training rows summarised'),
    dim: z.int().positive(),
    sampleRows: z.int().positive().describe('reference embeddings kept'),
    sampleSeed: z.int().describe('seed of the sample'),
    quantileLevels: z.array(z.number().min(0).max(1)).min(1),
    input: z
      .strictObject({ count: z.int().positive().describe('training images summarised'), bins: z.int().positive().describe('bins of the intensity histogram') })
      .optional()
      .describe('the input reference: per-image intensity statistics of the training images'),
  }),
  files: z.strictObject({ statistics: bundlePathSchema, input: bundlePathSchema.optional() }),
});
export type ReferenceStage = z.output<typeof referenceStageSchema>;

const ARCHIVE_KIND = 'cvf-drift-reference';

export function saveReferenceStage(reference: ReferenceStatistics): SavedStage<ReferenceStage> {
  const { space, count, dim, sampleRows, sampleSeed, quantileLevels } = reference;
  const tensors: ArchiveTensor[] = [
    { name: 'mean', shape: [dim], data: reference.mean },
    { name: 'variance', shape: [dim], data: reference.variance },
    { name: 'quantiles', shape: [quantileLevels.length, dim], data: reference.quantiles },
    { name: 'classPrior', shape: [reference.classPrior.length], data: reference.classPrior },
    { name: 'sample', shape: [sampleRows, dim], data: reference.sample },
  ];
  const statistics = encodeTensorArchive(ARCHIVE_KIND, null, tensors);
  const params = { space, count, dim, sampleRows, sampleSeed, quantileLevels: [...quantileLevels] };
  const { input } = reference;
  if (!input) return savedStage({ kind: 'reference', params, files: { statistics: 'reference.bin' } }, { statistics });
  return savedStage(
    { kind: 'reference', params: { ...params, input: { count: input.count, bins: input.bins } }, files: { statistics: 'reference.bin', input: 'reference-input.bin' } },
    { statistics, input: encodeInputReference(input) },
  );
}

export function loadReferenceStage(stage: ReferenceStage, files: StageFiles<ReferenceStage>): ReferenceStatistics {
  const file = stage.files.statistics;
  let tensors: Map<string, ArchiveTensor>;
  try {
    tensors = decodeTensorArchive(files.statistics, ARCHIVE_KIND).tensors;
  } catch (cause) {
    throw new BundleError('BUNDLE_INVALID', `bundle file "${file}": ${(cause as Error).message}`, { cause });
  }
  const { input: _input, ...params } = stage.params;
  const { dim, quantileLevels, sampleRows } = params;
  const tensor = (name: string, length: number): Float32Array => {
    const data = tensors.get(name)?.data;
    if (!data || data.length !== length) throw new BundleError('BUNDLE_INVALID', `bundle file "${file}" lacks "${name}" of ${length} values`);
    return data;
  };
  const classPrior = tensors.get('classPrior')?.data;
  if (!classPrior) throw new BundleError('BUNDLE_INVALID', `bundle file "${file}" lacks "classPrior"`);
  const input = loadInputReference(stage, files);
  return {
    ...params,
    ...(input && { input }),
    mean: tensor('mean', dim),
    variance: tensor('variance', dim),
    quantiles: tensor('quantiles', quantileLevels.length * dim),
    sample: tensor('sample', sampleRows * dim),
    classPrior,
  };
}

/** The training images' statistics, when the stage has them (bundles trained before the input detector do not). */
function loadInputReference(stage: ReferenceStage, files: StageFiles<ReferenceStage>): InputReference | undefined {
  const file = stage.files.input;
  const params = stage.params.input;
  if (file === undefined && params === undefined) return undefined;
  if (file === undefined || params === undefined || !files.input) {
    throw new BundleError('BUNDLE_INVALID', `the reference stage's input statistics need both params.input and files.input; the manifest has ${file === undefined ? 'no files.input' : 'no params.input'}`);
  }
  return decodeInputReference(files.input, file, params);
}
