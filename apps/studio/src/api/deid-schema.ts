import * as z from 'zod';

/** GET /api/dicom/deid-profile: the options the studio de-identifies with, on top of the Basic Profile, and where its key is. */
export const deidProfileSchema = z.strictObject({
  options: z.array(z.strictObject({ name: z.string(), code: z.string(), meaning: z.string() })),
  keyFile: z.string(),
});
export type DeidProfile = z.infer<typeof deidProfileSchema>;

export const DEID_PROFILE_URL = '/api/dicom/deid-profile';
/** POST one DICOM file (application/dicom): answered with its de-identified copy. */
export const DEIDENTIFY_URL = '/api/dicom/deidentify';
