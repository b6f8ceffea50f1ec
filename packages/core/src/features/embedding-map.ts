import { CpuDevice } from '../compute/cpu-device.js';
import { formatShape } from '../compute/shape.js';
import { Tensor } from '../compute/tensor.js';
import { FeatureError, ShapeError } from '../errors.js';
import { Pca, type PcaCompute } from './pca/pca.js';

/** A dataset's embeddings projected to the plane, as the studio plots them. */
export interface EmbeddingMap<L> {
  /** n × 2, row-major: (x, y) of each sample along the first two principal components. */
  readonly points: Float32Array;
  /** The labels, in the order of the points. */
  readonly labels: L[];
  /** Share of the embeddings' variance along x and along y. */
  readonly explainedVarianceRatio: [number, number];
}

/**
 * A 2-D map of embeddings [n, dim] by PCA-2 (fitted on the embeddings themselves). With one
 * dimension the map is a line (y = 0); a single sample sits at the origin.
 */
export async function embeddingMap<L>(embeddings: Tensor, labels: ArrayLike<L>, compute: PcaCompute = { device: new CpuDevice() }): Promise<EmbeddingMap<L>> {
  if (embeddings.dtype !== 'f32' || embeddings.shape.length !== 2) {
    throw new ShapeError(`embeddingMap: embeddings must be f32 [n, dim], got ${embeddings.dtype} ${formatShape(embeddings.shape)}`);
  }
  const [n, dim] = embeddings.shape as [number, number];
  if (labels.length !== n) throw new FeatureError('FEATURE_OPTION_INVALID', `embeddingMap: ${labels.length} labels for ${n} embeddings; give one label per embedding`);
  const points = new Float32Array(n * 2);
  const labelList = Array.from(labels);
  if (n < 2 || dim === 0) return { points, labels: labelList, explainedVarianceRatio: [0, 0] };

  const components = Math.min(2, dim);
  const pca = await new Pca({ components }, compute).fit(embeddings);
  try {
    const projected = await compute.device.read(await pca.transform(embeddings));
    for (let i = 0; i < n; i++) {
      points[2 * i] = projected[i * components]!;
      points[2 * i + 1] = components === 2 ? projected[i * components + 1]! : 0;
    }
    const ratio = pca.state.explainedVarianceRatio;
    return { points, labels: labelList, explainedVarianceRatio: [ratio[0]!, ratio[1] ?? 0] };
  } finally {
    pca.dispose();
  }
}
