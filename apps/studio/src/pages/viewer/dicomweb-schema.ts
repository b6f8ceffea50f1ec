import * as z from 'zod';

/**
 * The studio's DICOMweb proxy (GET /api/dicomweb/...): QIDO-RS lists of the PACS the studio was
 * started with (`--dicomweb URL`), reduced to what the viewer's browser shows, and WADO-RS
 * instances as DICOM Part 10 bytes. Patient identity is not listed: the viewer shows it only from
 * an opened file, on request.
 */
export const dicomwebStudySchema = z.object({
  studyInstanceUID: z.string(),
  date: z.string(),
  description: z.string(),
  modalities: z.array(z.string()),
  series: z.number().nullable(),
  instances: z.number().nullable(),
});
export const dicomwebSeriesSchema = z.object({
  seriesInstanceUID: z.string(),
  modality: z.string(),
  description: z.string(),
  number: z.number().nullable(),
  instances: z.number().nullable(),
});
export const dicomwebInstanceSchema = z.object({ sopInstanceUID: z.string(), number: z.number().nullable() });

export const dicomwebStudiesSchema = z.object({ studies: z.array(dicomwebStudySchema) });
export const dicomwebSeriesListSchema = z.object({ series: z.array(dicomwebSeriesSchema) });
export const dicomwebInstancesSchema = z.object({ instances: z.array(dicomwebInstanceSchema) });

export type DicomwebStudy = z.infer<typeof dicomwebStudySchema>;
export type DicomwebSeries = z.infer<typeof dicomwebSeriesSchema>;
export type DicomwebInstance = z.infer<typeof dicomwebInstanceSchema>;

const enc = encodeURIComponent;
export const dicomwebUrls = {
  studies: () => '/api/dicomweb/studies',
  series: (study: string) => `/api/dicomweb/studies/${enc(study)}/series`,
  instances: (study: string, series: string) => `/api/dicomweb/studies/${enc(study)}/series/${enc(series)}/instances`,
  instance: (study: string, series: string, sop: string) => `/api/dicomweb/studies/${enc(study)}/series/${enc(series)}/instances/${enc(sop)}`,
};
