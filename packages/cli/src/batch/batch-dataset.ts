import { CvfError, openDataset, type DecodedInput, type DecodeInputOptions, type Device } from '@cvf/core';
import { loadPipelineConfigFile, nodeFileAccess, sharpImageDecoder } from '@cvf/core/node';
import { dicomDatasetOpeners, dicomJsonString, DicomJsonTag, DicomwebClient, dicomSampleInput, searchAllInstances, type DicomFile } from '@cvf/medical';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { decodeFile, decodeNamedBytes } from '../commands/predict.js';
import { expandPredictInputs } from '../commands/predict-inputs.js';

/**
 * What a batch job reads, as it travels to the workers in each shard (JSON): an image/DICOM
 * folder or file (read as `cvf predict` reads it), a pipeline config's `data` section (every case
 * of its train, val and test splits, in that order), or a DICOMweb QIDO-RS instance query.
 */
export type DatasetSpec =
  | { readonly kind: 'files'; readonly input: string; readonly cwd: string; readonly recursive: boolean }
  | { readonly kind: 'config'; readonly path: string }
  | { readonly kind: 'dicomweb'; readonly url: string; readonly query: Readonly<Record<string, string>> };

/** One image of a batch dataset: its id (the file as `cvf predict` names it, a sample id, a SOP instance UID) and how to read it. */
export interface BatchItem {
  readonly id: string;
  load(): Promise<DecodedInput>;
}

/** A batch dataset opened: its items in order and the digest that names this exact list. */
export interface BatchDataset {
  readonly spec: DatasetSpec;
  readonly description: string;
  readonly items: readonly BatchItem[];
  /** SHA-256 (hex) of the spec's kind and the item ids in order: shard ids derive from it, and a worker checks it. */
  readonly digest: string;
}

/** How a DATASET argument is read: a URL is a DICOMweb query, a .yaml/.yml file a pipeline config, anything else files. */
export function parseDatasetArgument(argument: string, options: { recursive: boolean; cwd?: string }): DatasetSpec {
  const cwd = options.cwd ?? process.cwd();
  if (/^https?:\/\//i.test(argument)) {
    const url = new URL(argument);
    const query = Object.fromEntries(url.searchParams);
    // A QIDO-RS instance search URL (…/dicom-web/instances?Modality=CT) or the service root with the query.
    const root = `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/instances$/, '')}`;
    return { kind: 'dicomweb', url: root, query };
  }
  const path = resolve(cwd, argument);
  const found = statSync(path, { throwIfNoEntry: false });
  if (!found) throw new CvfError('BATCH_DATASET_NOT_FOUND', `dataset ${argument} does not exist; expected a folder or file of images, a pipeline config (.yaml), or a DICOMweb query URL (http://…/dicom-web/instances?…)`);
  if (/\.ya?ml$/i.test(argument) && found.isFile()) return { kind: 'config', path };
  return { kind: 'files', input: argument, cwd, recursive: options.recursive };
}

/** What opening needs: the Device and decode options of the model (a producer only lists, and may pass a CPU Device). */
export interface OpenBatchOptions {
  readonly device: Device;
  readonly decode: DecodeInputOptions;
}

/** Lists the items of a dataset spec, in a deterministic order, with its digest. */
export async function openBatchDataset(spec: DatasetSpec, options: OpenBatchOptions): Promise<BatchDataset> {
  const opened = await OPENERS[spec.kind](spec as never, options);
  if (opened.items.length === 0) throw new CvfError('BATCH_DATASET_EMPTY', `${opened.description} holds no images`);
  const hash = createHash('sha256').update(`${spec.kind}\n`);
  for (const item of opened.items) hash.update(`${item.id}\n`);
  return { spec, ...opened, digest: hash.digest('hex') };
}

type Opened = { description: string; items: BatchItem[] };
type Opener<K extends DatasetSpec['kind']> = (spec: Extract<DatasetSpec, { kind: K }>, options: OpenBatchOptions) => Promise<Opened>;

const OPENERS: { readonly [K in DatasetSpec['kind']]: Opener<K> } = {
  files: openFiles,
  config: openConfig,
  dicomweb: openDicomweb,
};

/**
 * The files `cvf predict` would read for the same argument; ids are the paths as it prints them,
 * and a worker in another working folder reads them relative to the producer's.
 */
async function openFiles(spec: Extract<DatasetSpec, { kind: 'files' }>, { decode }: OpenBatchOptions): Promise<Opened> {
  const absolute = resolve(spec.cwd, spec.input);
  const inputs = await expandPredictInputs([absolute], { recursive: spec.recursive });
  const items = inputs.map((input) => {
    if ('error' in input) throw input.error;
    const id = input.file === absolute ? spec.input : join(spec.input, relative(absolute, input.file));
    return { id, load: () => decodeFile(input.file, decode) };
  });
  return { description: `files ${spec.input}`, items };
}

/** Every case of the config's data section (train, val, test splits as training made them), decoded as evaluation decodes them. */
async function openConfig(spec: Extract<DatasetSpec, { kind: 'config' }>, { device, decode }: OpenBatchOptions): Promise<Opened> {
  const config = await loadPipelineConfigFile(spec.path);
  const window = decode.window;
  const toImage = (file: DicomFile) => dicomSampleInput(file, { device, ...(window && { window }) });
  const opened = await openDataset(config.data, {
    files: nodeFileAccess,
    decoder: sharpImageDecoder,
    baseDir: dirname(spec.path),
    openers: dicomDatasetOpeners({ env: process.env, device, toImage }),
  });
  const items = [...opened.train, ...opened.val, ...opened.test].map((sample) => ({ id: sample.id, load: () => sample.load() }));
  return { description: `the data section of ${spec.path}`, items };
}

/** The instances a QIDO-RS query finds, each retrieved over WADO-RS and decoded as `cvf predict` decodes a DICOM file. */
async function openDicomweb(spec: Extract<DatasetSpec, { kind: 'dicomweb' }>, { decode }: OpenBatchOptions): Promise<Opened> {
  const client = new DicomwebClient({ url: spec.url });
  const instances = await searchAllInstances(client, spec.query, 500);
  const items: BatchItem[] = [];
  const seen = new Set<string>();
  for (const instance of instances) {
    const uids = {
      studyInstanceUID: dicomJsonString(instance, DicomJsonTag.StudyInstanceUID),
      seriesInstanceUID: dicomJsonString(instance, DicomJsonTag.SeriesInstanceUID),
      sopInstanceUID: dicomJsonString(instance, DicomJsonTag.SOPInstanceUID),
    };
    const { studyInstanceUID, seriesInstanceUID, sopInstanceUID } = uids;
    if (studyInstanceUID === undefined || seriesInstanceUID === undefined || sopInstanceUID === undefined || seen.has(sopInstanceUID)) continue;
    seen.add(sopInstanceUID);
    items.push({ id: sopInstanceUID, load: async () => decodeNamedBytes(sopInstanceUID, await client.retrieveInstance({ studyInstanceUID, seriesInstanceUID, sopInstanceUID }), decode) });
  }
  // QIDO-RS promises no order: sorted by UID, every listing of the same instances is the same list.
  items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { description: `DICOMweb ${spec.url} instances matching ${JSON.stringify(spec.query)}`, items };
}
