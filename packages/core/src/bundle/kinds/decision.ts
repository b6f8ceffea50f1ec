import * as z from 'zod';

/** A class's operating point as chosen on the validation split, with what it reached there. */
export const operatingPointRecordSchema = z.strictObject({
  label: z.string().describe('the class'),
  target: z.enum(['sensitivity', 'specificity']).describe('the rate the threshold was chosen to reach'),
  value: z.number().gt(0).max(1).describe('the rate it was to reach'),
  threshold: z.number().min(0).describe('probability at or above which the class is called (above 1: never, when no score reached a specificity target)'),
  sensitivity: z.number().min(0).max(1).describe('reached on the val split (one-vs-rest)'),
  specificity: z.number().min(0).max(1).describe('reached on the val split (one-vs-rest)'),
  counts: z
    .strictObject({ truePositives: z.int().nonnegative(), falseNegatives: z.int().nonnegative(), trueNegatives: z.int().nonnegative(), falsePositives: z.int().nonnegative() })
    .describe('val images of the class called and missed, and of the other classes rightly not called and wrongly called'),
});
export type OperatingPointRecord = z.output<typeof operatingPointRecordSchema>;

/** When a prediction is referred to a reader; a null limit or false switch is a check that is off. */
export const referralPolicySchema = z.strictObject({
  minProbability: z.number().gt(0).max(1).nullable().describe('refer below this highest class probability'),
  maxEntropy: z.number().gt(0).lt(1).nullable().describe('refer above this normalised entropy'),
  knnDisagreement: z.boolean().describe('refer when the vote of the similar cases names another class'),
  knnK: z.int().positive().describe('similar cases that vote and are attached as evidence'),
  noOperatingPoint: z.boolean().describe('refer when no class reaches its operating point (operating points without a positive class)'),
});
export type ReferralPolicy = z.output<typeof referralPolicySchema>;

/** The decision stage: operating points chosen on the validation split and the referral policy; no files. */
export const decisionStageSchema = z.strictObject({
  kind: z.literal('decision'),
  params: z.strictObject({
    positiveClass: z.string().nullable().describe('two classes: the finding, decided positive or negative at its operating point; null: a class is decided'),
    operatingPoints: z.array(operatingPointRecordSchema).describe('one per class that has one; empty: the most probable class is decided'),
    valSamples: z.int().nonnegative().describe('val images the operating points were chosen on'),
    referral: referralPolicySchema,
  }),
  files: z.strictObject({}),
});
export type DecisionStage = z.output<typeof decisionStageSchema>;
export type DecisionParams = DecisionStage['params'];

export function decisionStage(params: DecisionParams): DecisionStage {
  return { kind: 'decision', params, files: {} };
}

/**
 * What a bundle written before the decision stage decides: the most probable class, never
 * referred (every check off), with `knnK` similar cases as evidence.
 */
export function argmaxNeverRefer(knnK: number): DecisionParams {
  return { positiveClass: null, operatingPoints: [], valSamples: 0, referral: { minProbability: null, maxEntropy: null, knnDisagreement: false, knnK, noOperatingPoint: false } };
}
