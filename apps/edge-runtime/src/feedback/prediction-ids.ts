import { randomUUID } from 'node:crypto';
import type { InferenceLog } from '../inference-log.js';

/** A new id for each of `count` predictions: what the response carries and fed-back labels name. */
export function newPredictionIds(count: number): string[] {
  return Array.from({ length: count }, () => randomUUID());
}

/**
 * The inference log seen through a lens that stamps the i-th appended record with `ids[i]`.
 * recordPredictions appends one record per prediction, in order, so record i is prediction i.
 */
export function stampingPredictionIds(log: InferenceLog, ids: readonly string[]): InferenceLog {
  let next = 0;
  return {
    append: (record) => log.append({ ...record, predictionId: ids[next++]! }),
    flush: () => log.flush(),
    close: () => log.close(),
    get stats() {
      return log.stats;
    },
  };
}
