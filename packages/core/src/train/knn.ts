import { TrainError } from '../errors.js';

export type KnnWeighting = 'uniform' | 'distance';

export interface KnnOptions {
  /** Neighbours per query: the row length of the label and score arrays. */
  readonly k: number;
  /** 'uniform': one vote per neighbour; 'distance': votes weighted by closeness (default 'distance'). */
  readonly weighting?: KnnWeighting;
  /**
   * What the scores are: 'similarity' (cosine or dot product, higher is closer; a vote weighs
   * max(score, 0)) or 'distance' (L2, lower is closer; a vote weighs 1 / (d + 1e-9)). Default 'similarity'.
   */
  readonly scoreKind?: 'similarity' | 'distance';
}

export interface KnnPrediction {
  /** Winning class per query; −1 where a query has no neighbour. */
  readonly classIndex: Int32Array;
  /** Vote shares [queries, classes] (uniform where a query has no neighbour). */
  readonly probabilities: Float32Array;
}

/**
 * k-nearest-neighbour classification over neighbours any index found: `neighbourLabels` and
 * `neighbourScores` are [queries, k], best first; a label of −1 marks a missing neighbour.
 * Ties go to the tied class whose first neighbour ranks highest. Where every distance weight is 0
 * (e.g. only negative similarities), the query falls back to uniform votes.
 */
export function knnPredict(neighbourLabels: Int32Array, neighbourScores: Float32Array, classes: number, options: KnnOptions): KnnPrediction {
  const { k, weighting = 'distance', scoreKind = 'similarity' } = options;
  if (!Number.isInteger(classes) || classes < 1) throw new TrainError('TRAIN_INVALID_OPTIONS', `knn classes ${classes} must be a positive integer`);
  if (!Number.isInteger(k) || k < 1) throw new TrainError('TRAIN_INVALID_OPTIONS', `knn k ${k} must be a positive integer`);
  if (weighting !== 'uniform' && weighting !== 'distance') throw new TrainError('TRAIN_INVALID_OPTIONS', `knn weighting "${weighting}" is not one of uniform, distance`);
  if (scoreKind !== 'similarity' && scoreKind !== 'distance') throw new TrainError('TRAIN_INVALID_OPTIONS', `knn scoreKind "${scoreKind}" is not one of similarity, distance`);
  if (neighbourLabels.length % k !== 0 || neighbourScores.length !== neighbourLabels.length) {
    throw new TrainError('TRAIN_INVALID_DATA', `knn: ${neighbourLabels.length} labels and ${neighbourScores.length} scores are not both [queries, ${k}]`);
  }
  const queries = neighbourLabels.length / k;
  const classIndex = new Int32Array(queries);
  const probabilities = new Float32Array(queries * classes);
  const votes = new Float64Array(classes);
  const firstRank = new Int32Array(classes);
  for (let q = 0; q < queries; q++) {
    for (const mode of weighting === 'distance' ? ['distance', 'uniform'] : ['uniform']) {
      votes.fill(0);
      firstRank.fill(k);
      for (let j = 0; j < k; j++) {
        const label = neighbourLabels[q * k + j]!;
        if (label === -1) continue;
        if (label < 0 || label >= classes) throw new TrainError('TRAIN_INVALID_DATA', `knn: neighbour label ${label} (query ${q}, rank ${j}) is outside [0, ${classes - 1}] and not −1`);
        const score = neighbourScores[q * k + j]!;
        votes[label]! += mode === 'uniform' ? 1 : scoreKind === 'similarity' ? Math.max(score, 0) : 1 / (Math.max(score, 0) + 1e-9);
        firstRank[label] = Math.min(firstRank[label]!, j);
      }
      if (votes.some((v) => v > 0)) break;
    }
    const total = votes.reduce((s, v) => s + v, 0);
    if (total === 0) {
      classIndex[q] = -1;
      probabilities.fill(1 / classes, q * classes, (q + 1) * classes);
      continue;
    }
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (votes[c]! > votes[best]! || (votes[c] === votes[best] && firstRank[c]! < firstRank[best]!)) best = c;
    }
    classIndex[q] = best;
    for (let c = 0; c < classes; c++) probabilities[q * classes + c] = votes[c]! / total;
  }
  return { classIndex, probabilities };
}

/** Labels of neighbours from their row ids (an index's search result): −1 stays −1 (no neighbour). */
export function neighbourLabelsOf(neighbourIds: Int32Array, labels: Int32Array): Int32Array {
  return neighbourIds.map((id) => {
    if (id === -1) return -1;
    if (id < 0 || id >= labels.length) throw new TrainError('TRAIN_INVALID_DATA', `neighbour id ${id} is outside the ${labels.length} labelled rows`);
    return labels[id]!;
  });
}

/**
 * kNN class probabilities straight from an index's search results: each query's first k hits vote
 * with `labelOf(hit.id)` (−1: no label) and their scores; a query with fewer than k hits leaves the
 * rest empty. Scores are distances for the L2 metric and similarities otherwise.
 */
export function knnVoteOfHits(
  hits: readonly (readonly { readonly id: number; readonly score: number }[])[],
  labelOf: (id: number) => number,
  classes: number,
  { k, weighting, metric }: { k: number; weighting?: KnnWeighting; metric?: string },
): Float32Array {
  const labels = new Int32Array(hits.length * k).fill(-1);
  const scores = new Float32Array(hits.length * k);
  hits.forEach((row, q) =>
    row.slice(0, k).forEach((hit, j) => {
      labels[q * k + j] = labelOf(hit.id);
      scores[q * k + j] = hit.score;
    }),
  );
  return knnPredict(labels, scores, classes, { k, ...(weighting ? { weighting } : {}), scoreKind: metric === 'l2' ? 'distance' : 'similarity' }).probabilities;
}
