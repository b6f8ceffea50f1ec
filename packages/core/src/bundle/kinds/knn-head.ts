import * as z from 'zod';

/** The kNN head: a vote of the nearest training cases of the index stage; it has no files. */
export const knnHeadStageSchema = z.strictObject({
  kind: z.literal('knn-head'),
  params: z.strictObject({
    k: z.int().positive().describe('neighbours that vote'),
    weighting: z.enum(['uniform', 'distance']).describe('equal votes, or votes weighted by similarity'),
  }),
  files: z.strictObject({}),
});
export type KnnHeadStage = z.output<typeof knnHeadStageSchema>;
export type KnnSettings = KnnHeadStage['params'];

export function knnHeadStage(settings: KnnSettings): KnnHeadStage {
  return { kind: 'knn-head', params: { k: settings.k, weighting: settings.weighting }, files: {} };
}
