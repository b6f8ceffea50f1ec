import { PipelineError } from '../../errors.js';
import { evaluateClassifier, scalarMetrics, type ClassifierEvaluation } from '../../eval/evaluate-classifier.js';
import { oneVsRest } from '../../eval/ranking.js';
import { applyTemperature, fitTemperature } from '../../eval/temperature.js';
import { selectThreshold } from '../../eval/thresholds.js';
import { prefixed } from '../head-training.js';
import type { StageRun } from './context.js';
import type { SplitFeatures } from './features.js';
import type { TrainedModel } from './head.js';

export interface ModelEvaluation {
  /** Temperature scaling: fitted on val (`postprocess.temperature: fit`, the default with a val split) or as given. */
  readonly temperature: number;
  /** The positive class's decision threshold, chosen on val (binary tasks with `evaluate.positiveClass`). */
  readonly threshold: { readonly label: string; readonly value: number } | null;
  /** The configured metrics by split. */
  readonly metrics: { readonly val: Record<string, number>; readonly test: Record<string, number> };
  /** Every scalar metric of the validation split (`loss` is its log-loss): what tuning selects on. */
  readonly validation: Record<string, number>;
  readonly test: ClassifierEvaluation;
  /** The val split's calibrated probabilities (rows × classes), what the decision's operating points are chosen on; null without a val split. */
  readonly valProbabilities: Float32Array | null;
}

/** Calibration and threshold chosen on val, then val and test evaluated with them; metrics and the report are tracked. */
export async function evaluateModel({ config, env, runId, progress }: StageRun, model: TrainedModel, splits: SplitFeatures, classes: readonly string[]): Promise<ModelEvaluation> {
  const { val, test } = splits;
  progress({ stage: 'evaluate', done: 0, total: 2 });
  const positiveIndex = config.evaluate.positiveClass === undefined ? -1 : classes.indexOf(config.evaluate.positiveClass);
  if (config.evaluate.positiveClass !== undefined && positiveIndex < 0) {
    throw new PipelineError('PIPELINE_FAILED', `evaluate.positiveClass "${config.evaluate.positiveClass}" is not one of the classes: ${classes.join(', ')}`);
  }
  const rawVal = val.rows > 0 ? await model.predict(val) : null;
  // Unset: calibrated whenever there is a val split to calibrate on (an uncalibrated softmax head's ECE is rarely wanted).
  const setting = config.postprocess.temperature ?? (rawVal ? 'fit' : 1);
  if (setting === 'fit' && !rawVal) throw new PipelineError('PIPELINE_FAILED', 'postprocess.temperature "fit" needs images in the val split, and it has none (give a number instead)');
  const temperature = setting === 'fit' ? fitTemperature(rawVal!, val.labels, classes.length) : setting;
  const calibrated = (probabilities: Float32Array) => (temperature === 1 ? probabilities : applyTemperature(probabilities, classes.length, temperature));
  const valProbabilities = rawVal ? calibrated(rawVal) : null;
  let threshold: number | undefined;
  if (positiveIndex >= 0 && valProbabilities) {
    const { targets, scores } = oneVsRest(val.labels, valProbabilities, classes.length, positiveIndex);
    threshold = selectThreshold(targets, scores, config.evaluate.thresholds)?.threshold;
  }
  const options = { calibrationBins: config.evaluate.calibrationBins, ...(config.evaluate.positiveClass !== undefined ? { positiveClass: config.evaluate.positiveClass } : {}), ...(threshold !== undefined ? { threshold } : {}) };
  const valEvaluation = valProbabilities ? evaluateClassifier(val.labels, valProbabilities, classes, options) : null;
  progress({ stage: 'evaluate', done: 1, total: 2 });
  const testEvaluation = evaluateClassifier(test.labels, calibrated(await model.predict(test)), classes, options);
  const metrics = {
    val: valEvaluation ? scalarMetrics(valEvaluation, config.evaluate.metrics) : {},
    test: scalarMetrics(testEvaluation, config.evaluate.metrics),
  };
  const validation = valEvaluation ? scalarMetrics(valEvaluation) : {};
  if (validation['log-loss'] !== undefined) validation.loss = validation['log-loss'];
  await env.tracker.logMetrics(runId, { ...prefixed('val', metrics.val), ...prefixed('test', metrics.test), 'postprocess.temperature': temperature }, 0);
  await env.tracker.logArtifact(runId, 'evaluation.json', new TextEncoder().encode(`${JSON.stringify({ val: valEvaluation, test: testEvaluation })}\n`));
  progress({ stage: 'evaluate', done: 2, total: 2, metrics: prefixed('test', metrics.test) });
  return {
    temperature,
    threshold: threshold === undefined ? null : { label: classes[positiveIndex]!, value: threshold },
    metrics,
    validation,
    test: testEvaluation,
    valProbabilities,
  };
}
