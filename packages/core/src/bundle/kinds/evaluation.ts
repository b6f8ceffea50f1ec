import * as z from 'zod';
import type { ClassifierEvaluation } from '../../eval/evaluate-classifier.js';
import { bundlePathSchema } from '../bundle-path.js';
import { savedStage, type SavedStage, type StageFiles } from '../stage-kind.js';
import { decodeJson, encodeJson } from './json-file.js';

/** The test split's evaluation report: confusion matrix and per-class scores, for model cards and viewers. */
export const evaluationStageSchema = z.strictObject({
  kind: z.literal('evaluation'),
  params: z.strictObject({}),
  files: z.strictObject({ report: bundlePathSchema }),
});
export type EvaluationStage = z.output<typeof evaluationStageSchema>;

// JSON has no NaN: a score that is undefined for a class (no samples) is stored as null.
const score = z.number().nullable();
const reportSchema = z.strictObject({
  test: z.strictObject({
    confusionMatrix: z.array(z.array(z.number())),
    perClass: z.array(
      z.strictObject({ label: z.string(), precision: score, recall: score, f1: score, specificity: score, support: z.number(), predicted: z.number(), auroc: score, auprc: score }),
    ),
  }),
});
export type EvaluationReport = z.output<typeof reportSchema>;

export function saveEvaluationStage(test: ClassifierEvaluation): SavedStage<EvaluationStage> {
  return savedStage({ kind: 'evaluation', params: {}, files: { report: 'evaluation.json' } }, { report: encodeJson({ test: { confusionMatrix: test.confusionMatrix, perClass: test.perClass } }) });
}

export function loadEvaluationStage(stage: EvaluationStage, files: StageFiles<EvaluationStage>): EvaluationReport {
  return decodeJson(files.report, reportSchema, stage.files.report);
}
