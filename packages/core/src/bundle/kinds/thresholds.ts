import * as z from 'zod';

/** Decision thresholds on a class's probability, chosen on the validation split (binary tasks). */
export const thresholdsStageSchema = z.strictObject({
  kind: z.literal('thresholds'),
  params: z.strictObject({
    perClass: z.record(z.string(), z.number().min(0).max(1)).describe('class label → probability at or above which it is predicted'),
  }),
  files: z.strictObject({}),
});
export type ThresholdsStage = z.output<typeof thresholdsStageSchema>;

export function thresholdsStage(perClass: Readonly<Record<string, number>>): ThresholdsStage {
  return { kind: 'thresholds', params: { perClass: { ...perClass } }, files: {} };
}
