import type { DataSource } from '../config/sections/data.js';
import { DatasetError } from '../errors.js';
import { parseCsvTable } from './csv.js';
import { SPLIT_NAMES, type Dataset, type DatasetContext, type Sample, type SplitName } from './dataset.js';
import { readTextFile } from './file-access.js';
import { dirnamePath, resolvePath } from './paths.js';

export type CsvSource = Extract<DataSource, { kind: 'csv' }>;
export type JsonlSource = Extract<DataSource, { kind: 'jsonl' }>;
type Columns = CsvSource['columns'];

/** One row of a manifest, with its line for error messages. Optional fields are undefined when absent or empty. */
export interface ManifestRecord {
  readonly line: number;
  readonly path: string;
  readonly label: string;
  readonly split?: SplitName;
  readonly patientId?: string;
  readonly studyUID?: string;
}

function parseSplit(value: string | undefined, where: string): SplitName | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const split = value.trim().toLowerCase();
  if (!SPLIT_NAMES.includes(split as SplitName)) throw new DatasetError('DATASET_MALFORMED', `${where}: split "${value}" is not one of ${SPLIT_NAMES.join(', ')}`);
  return split as SplitName;
}

function optional(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Reads the named columns of one record: path and label must be there and non-empty. */
function toRecord(get: (column: string) => string | undefined, columns: Columns, line: number, where: string): ManifestRecord {
  const path = optional(get(columns.path));
  const label = optional(get(columns.label));
  if (path === undefined) throw new DatasetError('DATASET_MALFORMED', `${where}: no image path in column "${columns.path}"`);
  if (label === undefined) throw new DatasetError('DATASET_MALFORMED', `${where}: no label in column "${columns.label}"`);
  const record: ManifestRecord = { line, path, label };
  const split = parseSplit(get(columns.split), where);
  const patientId = optional(get(columns.patientId));
  const studyUID = optional(get(columns.studyUID));
  return { ...record, ...(split && { split }), ...(patientId && { patientId }), ...(studyUID && { studyUID }) };
}

/** The records of a CSV manifest (header row; `columns` names the columns; path and label columns are required). */
export function parseCsvManifest(text: string, columns: Columns, { delimiter = ',', source = 'manifest' } = {}): ManifestRecord[] {
  const table = parseCsvTable(text, { delimiter, source });
  for (const required of [columns.path, columns.label]) {
    if (!table.columns.includes(required)) {
      throw new DatasetError('DATASET_MALFORMED', `${source}: no column "${required}" in the header (columns: ${table.columns.join(', ')})`);
    }
  }
  return table.records.map(({ line, values }) => toRecord((c) => values[c], columns, line, `${source}:${line}`));
}

/** The records of a JSON Lines manifest: one object per non-blank line; numbers are read as text (label 3 → "3"). */
export function parseJsonlManifest(text: string, columns: Columns, { source = 'manifest' } = {}): ManifestRecord[] {
  const records: ManifestRecord[] = [];
  text.split(/\r?\n/).forEach((content, index) => {
    const line = index + 1;
    if (content.trim() === '') return;
    const where = `${source}:${line}`;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      throw new DatasetError('DATASET_MALFORMED', `${where}: not JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DatasetError('DATASET_MALFORMED', `${where}: expected a JSON object per line`);
    const object = value as Record<string, unknown>;
    const get = (column: string): string | undefined => {
      const field = object[column];
      if (field === undefined || field === null) return undefined;
      if (typeof field === 'string' || typeof field === 'number') return String(field);
      throw new DatasetError('DATASET_MALFORMED', `${where}: field "${column}" must be a string or a number, got ${JSON.stringify(field)}`);
    };
    records.push(toRecord(get, columns, line, where));
  });
  return records;
}

/** Samples of manifest records whose paths are relative to `root`. The same path listed twice is an error: it could land in two splits. */
export function manifestSamples(records: readonly ManifestRecord[], root: string, { files, decoder }: DatasetContext, source: string): Sample[] {
  const lines = new Map<string, number>();
  return records.map((record) => {
    const earlier = lines.get(record.path);
    if (earlier !== undefined) throw new DatasetError('DATASET_MALFORMED', `${source}:${record.line}: image "${record.path}" is already listed on line ${earlier}`);
    lines.set(record.path, record.line);
    const path = resolvePath(root, record.path);
    const { line: _line, path: id, ...fields } = record;
    return { id, ...fields, load: async () => decoder.decode(await files.readFile(path)) };
  });
}

async function openManifest(source: CsvSource | JsonlSource, context: DatasetContext): Promise<Dataset> {
  const path = resolvePath(context.baseDir, source.path);
  const root = source.root === undefined ? dirnamePath(path) : resolvePath(context.baseDir, source.root);
  const text = await readTextFile(context.files, path);
  const records =
    source.kind === 'csv' ? parseCsvManifest(text, source.columns, { delimiter: source.delimiter, source: path }) : parseJsonlManifest(text, source.columns, { source: path });
  if (records.length === 0) throw new DatasetError('DATASET_EMPTY', `${path}: the manifest lists no image`);
  return { description: `${source.kind} ${path}`, samples: manifestSamples(records, root, context, path) };
}

/** A CSV manifest: `path,label[,split,patientId,studyUID]` (column names per `columns`), paths relative to `root` (default: the manifest's folder). */
export function openCsvDataset(source: CsvSource, context: DatasetContext): Promise<Dataset> {
  return openManifest(source, context);
}

/** A JSON Lines manifest with the same fields as the CSV one. */
export function openJsonlDataset(source: JsonlSource, context: DatasetContext): Promise<Dataset> {
  return openManifest(source, context);
}
