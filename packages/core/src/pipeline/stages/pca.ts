import type { Device } from '../../compute/device.js';
import { Tensor } from '../../compute/tensor.js';
import { Pca } from '../../features/pca/pca.js';
import type { FeatureMatrix } from '../feature-matrix.js';
import type { StageRun } from './context.js';
import type { SplitFeatures } from './features.js';

/** PCA fitted on the train split only (with `pca.enabled`), and every split projected by it. */
export async function fitPca({ config, env, progress }: StageRun, splits: SplitFeatures): Promise<{ pca: Pca | null; splits: SplitFeatures }> {
  if (!config.pca.enabled) return { pca: null, splits };
  const { device } = env;
  progress({ stage: 'pca', done: 0, total: 1 });
  const pca = new Pca({ components: config.pca.components, whiten: config.pca.whiten, strategy: config.pca.method, seed: config.train.seed }, { device, ...(env.fastMatmul ? { fastMatmul: env.fastMatmul } : {}) });
  await pca.fit(Tensor.cpu('f32', [splits.train.rows, splits.train.dim], splits.train.features));
  const projected: SplitFeatures = {
    train: await project(pca, splits.train, device),
    val: await project(pca, splits.val, device),
    test: await project(pca, splits.test, device),
    unlabelled: splits.unlabelled ? await project(pca, splits.unlabelled, device) : null,
  };
  progress({ stage: 'pca', done: 1, total: 1, metrics: { explainedVariance: sum(pca.state.explainedVarianceRatio) } });
  return { pca, splits: projected };
}

/** PCA projection of a split, in row chunks: one binding stays well under GPU buffer limits. */
async function project(pca: Pca, matrix: FeatureMatrix, device: Device, chunkRows = 8192): Promise<FeatureMatrix> {
  const dim = pca.state.componentCount;
  const features = new Float32Array(matrix.rows * dim);
  for (let start = 0; start < matrix.rows; start += chunkRows) {
    const rows = Math.min(chunkRows, matrix.rows - start);
    const chunk = Tensor.cpu('f32', [rows, matrix.dim], matrix.features.subarray(start * matrix.dim, (start + rows) * matrix.dim));
    const projected = await pca.transform(chunk);
    features.set((await device.read(projected)) as Float32Array, start * dim);
    projected.dispose();
  }
  return { ...matrix, features, dim };
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}
