import * as z from 'zod';

/** A target on the validation split: the threshold on a class's probability is the one that reaches it. */
export const operatingPointSchema = z
  .strictObject({
    target: z.enum(['sensitivity', 'specificity']).describe('the rate the threshold must reach on the val split (the other is then made as high as it can be)'),
    value: z.number().gt(0).max(1).describe('the rate to reach, e.g. 0.95'),
  })
  .describe('operating point: a target sensitivity or specificity on the val split');
export type OperatingPointTarget = z.output<typeof operatingPointSchema>;

// A limit of the referral policy, or false to switch that check off.
const limitOrOff = (limit: z.ZodNumber) => z.union([limit, z.literal(false)]);

export const decisionSchema = z
  .strictObject({
    operatingPoint: operatingPointSchema
      .optional()
      .describe('every class gets the threshold on its one-vs-rest probability that reaches this on the val split; default: none, the most probable class is decided (argmax)'),
    classes: z
      .record(z.string().min(1), operatingPointSchema)
      .default({})
      .describe('class label → its own operating point, in place of operatingPoint (without operatingPoint, only the classes named here get one)'),
    positiveClass: z
      .string()
      .min(1)
      .optional()
      .describe('two classes: the finding; a decision is then positive or negative at its operating point (without one: positive when it is the more probable class); default: evaluate.positiveClass'),
    referral: z
      .strictObject({
        minProbability: limitOrOff(z.number().gt(0).max(1))
          .default(0.5)
          .describe('refer when the highest class probability is below this; false: never for this reason'),
        maxEntropy: limitOrOff(z.number().gt(0).lt(1))
          .default(0.8)
          .describe('refer when the normalised entropy of the probabilities (0: one class certain, 1: all equal) is above this; false: never for this reason'),
        knnDisagreement: z
          .boolean()
          .default(true)
          .describe('refer when the majority vote of the most similar training cases names another class than the one decided'),
        knnK: z.int().positive().optional().describe('similar training cases that vote for the disagreement check and are attached as evidence; default: index.k'),
        noOperatingPoint: z
          .boolean()
          .default(true)
          .describe('operating points without a positive class: refer when no class reaches its operating point'),
      })
      .prefault({})
      .describe('when a prediction becomes "refer" (a reader should decide)'),
  })
  .prefault({})
  .describe('the decision each prediction carries: operating points chosen on the val split, referral when unsure, the similar cases as evidence');
export type DecisionConfig = z.output<typeof decisionSchema>;
