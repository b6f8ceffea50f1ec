import type { Prediction } from '@cvf/core';
import type { InferenceLog } from '../inference-log.js';
import type { EdgeMetrics } from '../metrics.js';
import type { ServedModel } from './served-model.js';

/**
 * What follows every answered prediction: the per-class counter, and a record in the inference
 * log (features, probabilities, class; a DICOM's SOP Instance UID only for the log to hash).
 */
export function recordPredictions(
  model: ServedModel,
  predictions: readonly Prediction[],
  sopInstanceUids: readonly (string | undefined)[],
  sinks: { metrics: EdgeMetrics; inferenceLog: InferenceLog | undefined },
): void {
  const time = new Date().toISOString();
  predictions.forEach((p, i) => {
    sinks.metrics.predictions.inc({ model: model.name, version: model.version, class: p.label });
    const sopInstanceUid = sopInstanceUids[i];
    sinks.inferenceLog?.append({
      time,
      model: model.name,
      version: model.version,
      features: p.features ?? [],
      probabilities: p.probabilities,
      predictedClass: p.classIndex,
      ...(sopInstanceUid !== undefined && { sopInstanceUid }),
    });
  });
}
