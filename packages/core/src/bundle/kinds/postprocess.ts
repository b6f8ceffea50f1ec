import * as z from 'zod';

/** How outputs become predictions: the temperature (already in the head's graph; applied to kNN votes) and how many classes to report. */
export const postprocessStageSchema = z.strictObject({
  kind: z.literal('postprocess'),
  params: z.strictObject({
    temperature: z.number().positive().describe('logits were divided by this before the softmax'),
    topK: z.int().positive().describe('classes reported per prediction'),
  }),
  files: z.strictObject({}),
});
export type PostprocessStage = z.output<typeof postprocessStageSchema>;

export function postprocessStage(params: PostprocessStage['params']): PostprocessStage {
  return { kind: 'postprocess', params, files: {} };
}
