import * as z from 'zod';
import { Pca } from '../../features/pca/pca.js';
import { bundlePathSchema } from '../bundle-path.js';
import { savedStage, type SavedStage, type StageContext, type StageFiles } from '../stage-kind.js';

/** PCA between the extractor and the index/head: the fitted mean and components. */
export const pcaStageSchema = z.strictObject({
  kind: z.literal('pca'),
  params: z.strictObject({
    components: z.int().positive().describe('components kept'),
    whiten: z.boolean().describe('components scaled to unit variance'),
  }),
  files: z.strictObject({ state: bundlePathSchema }),
});
export type PcaStage = z.output<typeof pcaStageSchema>;

export function savePcaStage(pca: Pca): SavedStage<PcaStage> {
  const { componentCount, whiten } = pca.state;
  return savedStage({ kind: 'pca', params: { components: componentCount, whiten }, files: { state: 'pca.bin' } }, { state: pca.save() });
}

export function loadPcaStage(_stage: PcaStage, files: StageFiles<PcaStage>, context: StageContext): Pca {
  return Pca.load(files.state, { device: context.device, ...(context.fastMatmul ? { fastMatmul: context.fastMatmul } : {}) });
}
