import * as z from 'zod';
import { featuresSchema } from '../../config/sections/features.js';
import type { FeatureExtractor } from '../../features/feature-extractor.js';
import { loadFeatureExtractor } from '../../features/load-feature-extractor.js';
import { bundlePathSchema } from '../bundle-path.js';
import { savedStage, type SavedStage, type StageContext, type StageFiles } from '../stage-kind.js';

/** The feature extractor: its config section as params, its fitted state as one file. */
export const extractorStageSchema = z.strictObject({
  kind: z.literal('extractor'),
  params: featuresSchema,
  files: z.strictObject({ state: bundlePathSchema }),
});
export type ExtractorStage = z.output<typeof extractorStageSchema>;

export function saveExtractorStage(extractor: FeatureExtractor, params: ExtractorStage['params']): SavedStage<ExtractorStage> {
  return savedStage({ kind: 'extractor', params, files: { state: 'extractor.bin' } }, { state: extractor.save() });
}

export function loadExtractorStage(_stage: ExtractorStage, files: StageFiles<ExtractorStage>, context: StageContext): Promise<FeatureExtractor> {
  return loadFeatureExtractor(files.state, { device: context.device, ...(context.onnxRuntime ? { runtime: context.onnxRuntime } : {}) });
}
