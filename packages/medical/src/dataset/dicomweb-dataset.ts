import { DatasetError, DicomwebError, type Dataset, type DatasetContext, type DataSource, type Sample } from '@cvf/core';
import { parseDicom } from '../dicom/parse-dicom.js';
import { dicomJsonString, DicomJsonTag, type DicomJsonDataset } from '../dicomweb/dicom-json.js';
import { DicomwebClient } from '../dicomweb/dicomweb-client.js';
import type { DicomDatasetOptions } from './dicom-folder-dataset.js';
import { dicomSampleInput } from './dicom-sample-image.js';
import { labelOf, readLabelTable } from './labels-csv.js';

export type DicomwebSource = Extract<DataSource, { kind: 'dicomweb' }>;

export interface DicomwebDatasetOptions extends DicomDatasetOptions {
  /** Where `tokenEnv` is looked up (in Node: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The fetch the client uses (default: the global one). */
  readonly fetch?: typeof fetch;
  /** QIDO-RS page size (limit/offset paging); default 500. */
  readonly pageSize?: number;
}

/** Attributes every instance result must carry for a sample. */
const INCLUDE = ['00100020', '00080060', '0020000D', '0020000E', '00080018'];

/**
 * Every instance matching the query, page by page (limit/offset), unless the query sets its own
 * limit; each result carries its patient, modality and study, series and SOP instance UIDs.
 */
export async function searchAllInstances(client: DicomwebClient, query: DicomwebSource['query'], pageSize: number): Promise<DicomJsonDataset[]> {
  const base = { ...query, includefield: INCLUDE };
  if ('limit' in query) return client.searchInstances(base);
  const all: DicomJsonDataset[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await client.searchInstances({ ...base, limit: pageSize, offset });
    all.push(...page);
    if (page.length < pageSize) return all;
  }
}

/**
 * A dataset defined by a DICOMweb query (`data.source.kind: dicomweb` in the pipeline YAML): QIDO-RS
 * finds the instances matching `query`, a labels CSV keyed by SOP, series or study instance UID
 * labels them, and each sample's `load` retrieves its instance over WADO-RS (as stored) and
 * decodes its first frame. Unlabelled instances and other modalities are left out.
 */
export async function openDicomwebDataset(source: DicomwebSource, context: DatasetContext, options: DicomwebDatasetOptions = {}): Promise<Dataset> {
  let token: string | undefined;
  if (source.tokenEnv !== undefined) {
    token = options.env?.[source.tokenEnv];
    if (token === undefined || token === '') {
      throw new DicomwebError('DICOMWEB_INVALID_REQUEST', `data.source.tokenEnv names ${source.tokenEnv}, but that environment variable is not set`);
    }
  }
  const client = new DicomwebClient({ url: source.url, ...(token !== undefined && { token }), ...(options.fetch && { fetch: options.fetch }) });
  const table = await readLabelTable(source.labels, context);
  const modalities = source.modality === undefined ? undefined : new Set(source.modality);
  const toImage = options.toImage ?? ((file) => dicomSampleInput(file, options));
  const instances = await searchAllInstances(client, source.query, options.pageSize ?? 500);

  const samples: Sample[] = [];
  const seen = new Set<string>();
  for (const instance of instances) {
    const sopInstanceUID = dicomJsonString(instance, DicomJsonTag.SOPInstanceUID);
    const seriesInstanceUID = dicomJsonString(instance, DicomJsonTag.SeriesInstanceUID);
    const studyInstanceUID = dicomJsonString(instance, DicomJsonTag.StudyInstanceUID);
    if (sopInstanceUID === undefined || seriesInstanceUID === undefined || studyInstanceUID === undefined) {
      throw new DicomwebError('DICOMWEB_INVALID_RESPONSE', `${source.url}: a QIDO-RS instance result lacks its study, series or SOP instance UID: ${JSON.stringify(instance).slice(0, 300)}`);
    }
    if (seen.has(sopInstanceUID)) continue; // a page boundary that moved
    seen.add(sopInstanceUID);
    if (modalities && !modalities.has(dicomJsonString(instance, DicomJsonTag.Modality) ?? '')) continue;
    const label = labelOf(table, { sopInstanceUID, seriesInstanceUID, studyInstanceUID });
    if (label === undefined) continue;
    const patientId = dicomJsonString(instance, DicomJsonTag.PatientID);
    const uids = { studyInstanceUID, seriesInstanceUID, sopInstanceUID };
    samples.push({
      id: sopInstanceUID,
      label,
      studyUID: studyInstanceUID,
      ...(patientId !== undefined && { patientId }),
      load: async () => toImage(parseDicom(await client.retrieveInstance(uids))),
    });
  }
  if (samples.length === 0) {
    throw new DatasetError('DATASET_EMPTY', `${source.url}: none of the ${instances.length} instances matching ${JSON.stringify(source.query)} has a label in ${table.path} (keyed by ${table.key})`);
  }
  return { description: `dicomweb ${source.url}`, samples };
}
