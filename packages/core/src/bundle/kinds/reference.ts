import * as z from 'zod';
import { BundleError } from '../../errors.js';
import type { ReferenceStatistics } from '../../monitor/reference-statistics.js';
import { decodeTensorArchive, encodeTensorArchive, type ArchiveTensor } from '../../train/tensor-archive.js';
import { bundlePathSchema } from '../bundle-path.js';
import { savedStage, type SavedStage, type StageFiles } from '../stage-kind.js';

/** The drift reference: statistics and a sample of the training embeddings, and the class prior. */
export const referenceStageSchema = z.strictObject({
  kind: z.literal('reference'),
  params: z.strictObject({
    space: z.enum(['pca', 'features']).describe('the embeddings summarised: PCA components, or the extractor features without PCA'),
    count: z.int().positive().describe('training rows summarised'),
    dim: z.int().positive(),
    sampleRows: z.int().positive().describe('reference embeddings kept'),
    sampleSeed: z.int().describe('seed of the sample'),
    quantileLevels: z.array(z.number().min(0).max(1)).min(1),
  }),
  files: z.strictObject({ statistics: bundlePathSchema }),
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
  return savedStage(
    { kind: 'reference', params: { space, count, dim, sampleRows, sampleSeed, quantileLevels: [...quantileLevels] }, files: { statistics: 'reference.bin' } },
    { statistics: encodeTensorArchive(ARCHIVE_KIND, null, tensors) },
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
  const { dim, quantileLevels, sampleRows } = stage.params;
  const tensor = (name: string, length: number): Float32Array => {
    const data = tensors.get(name)?.data;
    if (!data || data.length !== length) throw new BundleError('BUNDLE_INVALID', `bundle file "${file}" lacks "${name}" of ${length} values`);
    return data;
  };
  const classPrior = tensors.get('classPrior')?.data;
  if (!classPrior) throw new BundleError('BUNDLE_INVALID', `bundle file "${file}" lacks "classPrior"`);
  return {
    ...stage.params,
    mean: tensor('mean', dim),
    variance: tensor('variance', dim),
    quantiles: tensor('quantiles', quantileLevels.length * dim),
    sample: tensor('sample', sampleRows * dim),
    classPrior,
  };
}
