import * as z from 'zod';

export const postprocessSchema = z
  .strictObject({
    temperature: z
      .union([z.number().positive(), z.literal('fit')])
      .optional()
      .describe(
        'divide logits by this before the softmax; "fit" learns it on the val split (temperature scaling); 1 leaves them unchanged; ' +
          'default: "fit" when the val split has images, else 1',
      ),
    topK: z.int().positive().default(3).describe('classes reported per prediction'),
  })
  .prefault({})
  .describe('turning model outputs into predictions');
