import * as z from 'zod';

const imageSize = z.strictObject({
  height: z.int().positive().describe('rows'),
  width: z.int().positive().describe('columns'),
});

/**
 * What inputs the trained model is meant for, beyond its image size and colour (which come from
 * `preprocess`) and its modalities (from `data.source.modality`). Written into the bundle's input
 * contract; `decodeInput` refuses an input that differs (INPUT_CONTRACT_MISMATCH) unless asked to
 * predict anyway. Every field is optional: unset, it is not checked.
 */
export const inputContractConfigSchema = z
  .strictObject({
    bodyParts: z
      .array(z.string().regex(/^[A-Z0-9 _]{1,16}$/, { error: 'expected a DICOM Body Part Examined code such as CHEST, HEAD, ABDOMEN' }))
      .min(1)
      .optional()
      .describe('DICOM Body Part Examined (0018,0015) values accepted, e.g. [CHEST]; default: any'),
    bitsStored: z
      .array(z.int().min(1).max(32))
      .min(1)
      .optional()
      .describe('DICOM Bits Stored (0028,0101) values accepted, e.g. [12, 16]; default: any'),
    minSize: imageSize.optional().describe('smallest decoded image accepted (before resizing); default: any'),
    maxSize: imageSize.optional().describe('largest decoded image accepted (before resizing); default: any'),
  })
  .superRefine((contract, ctx) => {
    const { minSize, maxSize } = contract;
    if (minSize && maxSize && (minSize.height > maxSize.height || minSize.width > maxSize.width)) {
      ctx.addIssue({ code: 'custom', path: ['maxSize'], message: `maxSize ${maxSize.height}×${maxSize.width} is smaller than minSize ${minSize.height}×${minSize.width}` });
    }
  })
  .prefault({})
  .describe('input contract of the trained model: which inputs predictions are refused for (modalities come from data.source.modality)');
