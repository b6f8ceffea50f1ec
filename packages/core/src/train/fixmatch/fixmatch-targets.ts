import { pseudoLabel } from '../pseudo-label.js';

/** The cross-entropy rows of one FixMatch step's batch [labelled; unlabelled weak; unlabelled strong]. */
export interface FixMatchTargets {
  /** Per row: the label (−1: no loss, no gradient). */
  readonly labels: Int32Array;
  /** Per row: its weight in the step's loss. */
  readonly rowWeights: Float32Array;
  /** Unlabelled images whose weak view passed the threshold. */
  readonly masked: number;
}

/**
 * FixMatch's targets (Sohn et al. 2020): a labelled row learns its label with weight 1/B; an
 * unlabelled image's weak view gives no gradient (its prediction is the target, held fixed); its
 * strong view learns the weak view's top class with weight λ/(μB) when that class has probability
 * ≥ τ (`pseudoLabel`, the pipeline's pseudo-labelling rule), and nothing otherwise. Dividing by
 * all μB unlabelled images, passed or not, is the paper's mean over the masked batch.
 */
export function fixMatchTargets(labels: Int32Array, weakProbabilities: Float32Array, classes: number, { threshold, weight }: { readonly threshold: number; readonly weight: number }): FixMatchTargets {
  const labelled = labels.length;
  const unlabelled = weakProbabilities.length / classes;
  const rows = labelled + 2 * unlabelled;
  const out = { labels: new Int32Array(rows).fill(-1), rowWeights: new Float32Array(rows) };
  out.labels.set(labels);
  out.rowWeights.fill(1 / labelled, 0, labelled);
  const chosen = pseudoLabel({ data: weakProbabilities, shape: [unlabelled, classes] }, threshold);
  chosen.indices.forEach((u, k) => {
    const row = labelled + unlabelled + u;
    out.labels[row] = chosen.labels[k]!;
    out.rowWeights[row] = weight / unlabelled;
  });
  return { ...out, masked: chosen.indices.length };
}
