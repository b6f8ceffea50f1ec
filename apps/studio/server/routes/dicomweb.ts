import { DicomwebClient, dicomJsonNumber, dicomJsonString, dicomJsonStrings, type DicomJsonDataset } from '@cvf/medical';
import {
  dicomwebInstancesSchema,
  dicomwebSeriesListSchema,
  dicomwebStudiesSchema,
  type DicomwebInstance,
  type DicomwebSeries,
  type DicomwebStudy,
} from '../../src/pages/viewer/dicomweb-schema.js';
import type { StudioContext } from '../context.js';
import { StudioError } from '../errors.js';
import { sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';

/** Studies listed at once: a PACS holds millions; the viewer asks for the newest. */
const STUDY_LIMIT = 100;

const TAG = {
  StudyDate: '00080020',
  StudyDescription: '00081030',
  ModalitiesInStudy: '00080061',
  NumberOfStudyRelatedSeries: '00201206',
  NumberOfStudyRelatedInstances: '00201208',
  SeriesDescription: '0008103E',
  SeriesNumber: '00200011',
  NumberOfSeriesRelatedInstances: '00201209',
  InstanceNumber: '00200013',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  SOPInstanceUID: '00080018',
  Modality: '00080060',
} as const;

function clientOf(studio: StudioContext): DicomwebClient {
  if (!studio.dicomweb) throw new StudioError('NOT_FOUND', 'this studio has no DICOMweb server; start it with --dicomweb URL (e.g. http://localhost:8042/dicom-web)');
  return new DicomwebClient({ url: studio.dicomweb });
}

const text = (d: DicomJsonDataset, tag: string) => dicomJsonString(d, tag) ?? '';
const count = (d: DicomJsonDataset, tag: string) => dicomJsonNumber(d, tag) ?? null;

/**
 * The DICOMweb proxy of the viewer: QIDO-RS study, series and instance lists and WADO-RS instances
 * from the PACS of `--dicomweb`, so the browser reaches the PACS through its own origin (no CORS,
 * the studio's login) and decodes the images itself.
 */
export const dicomwebRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/dicomweb/studies',
    handle: async ({ res, studio }) => {
      const found = await clientOf(studio).searchStudies({ limit: STUDY_LIMIT, includefield: [TAG.StudyDescription, TAG.ModalitiesInStudy, TAG.NumberOfStudyRelatedSeries, TAG.NumberOfStudyRelatedInstances] });
      const studies: DicomwebStudy[] = found.map((d) => ({
        studyInstanceUID: text(d, TAG.StudyInstanceUID),
        date: text(d, TAG.StudyDate),
        description: text(d, TAG.StudyDescription),
        modalities: dicomJsonStrings(d, TAG.ModalitiesInStudy),
        series: count(d, TAG.NumberOfStudyRelatedSeries),
        instances: count(d, TAG.NumberOfStudyRelatedInstances),
      }));
      sendJson(res, dicomwebStudiesSchema, { studies: studies.sort((a, b) => b.date.localeCompare(a.date)) });
    },
  },
  {
    method: 'GET',
    path: '/api/dicomweb/studies/:study/series',
    handle: async ({ res, params, studio }) => {
      const found = await clientOf(studio).searchSeries({ includefield: [TAG.SeriesDescription, TAG.NumberOfSeriesRelatedInstances] }, { studyInstanceUID: params.study! });
      const series: DicomwebSeries[] = found.map((d) => ({
        seriesInstanceUID: text(d, TAG.SeriesInstanceUID),
        modality: text(d, TAG.Modality),
        description: text(d, TAG.SeriesDescription),
        number: count(d, TAG.SeriesNumber),
        instances: count(d, TAG.NumberOfSeriesRelatedInstances),
      }));
      sendJson(res, dicomwebSeriesListSchema, { series: series.sort((a, b) => (a.number ?? 0) - (b.number ?? 0)) });
    },
  },
  {
    method: 'GET',
    path: '/api/dicomweb/studies/:study/series/:series/instances',
    handle: async ({ res, params, studio }) => {
      const found = await clientOf(studio).searchInstances({}, { studyInstanceUID: params.study!, seriesInstanceUID: params.series! });
      const instances: DicomwebInstance[] = found.map((d) => ({ sopInstanceUID: text(d, TAG.SOPInstanceUID), number: count(d, TAG.InstanceNumber) }));
      sendJson(res, dicomwebInstancesSchema, { instances: instances.sort((a, b) => (a.number ?? 0) - (b.number ?? 0)) });
    },
  },
  {
    method: 'GET',
    path: '/api/dicomweb/studies/:study/series/:series/instances/:sop',
    handle: async ({ res, params, studio }) => {
      // As stored: compressed frames stay compressed and are decoded in the browser's worker.
      const bytes = await clientOf(studio).retrieveInstance({ studyInstanceUID: params.study!, seriesInstanceUID: params.series!, sopInstanceUID: params.sop! });
      res.writeHead(200, { 'content-type': 'application/dicom', 'content-length': bytes.byteLength, 'cache-control': 'private, no-store' });
      res.end(bytes);
    },
  },
];
