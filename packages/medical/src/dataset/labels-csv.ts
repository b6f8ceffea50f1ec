import { DatasetError, parseCsvTable, readTextFile, resolvePath, type FileAccess } from '@cvf/core';

/** What a labels CSV row is keyed by: a UID level (a study or series key labels all its images) or the file path. */
export type LabelKey = 'sopInstanceUID' | 'seriesInstanceUID' | 'studyInstanceUID' | 'path';

export interface LabelsConfig {
  /** The CSV, with a header row holding a column named after `key` and the label column. */
  readonly path: string;
  readonly key: LabelKey;
  readonly labelColumn: string;
}

/** The labels of a labels CSV: key value → label, and the file it came from. */
export interface LabelTable {
  readonly path: string;
  readonly key: LabelKey;
  readonly labels: ReadonlyMap<string, string>;
}

/**
 * Reads a labels CSV (RFC 4180) keyed by `key`. A key listed twice with different labels is a
 * DATASET_MALFORMED error naming both lines; rows with an empty key or label are errors too.
 * `normalizeKey` maps key values before matching (for paths: relative to the DICOM root).
 */
export async function readLabelTable(
  config: LabelsConfig,
  { files, baseDir, normalizeKey = (k: string) => k }: { files: FileAccess; baseDir: string; normalizeKey?: (key: string) => string },
): Promise<LabelTable> {
  const path = resolvePath(baseDir, config.path);
  const table = parseCsvTable(await readTextFile(files, path), { source: path });
  for (const column of [config.key, config.labelColumn]) {
    if (!table.columns.includes(column)) throw new DatasetError('DATASET_MALFORMED', `${path}: no column "${column}" in the header (columns: ${table.columns.join(', ')})`);
  }
  const labels = new Map<string, string>();
  const lines = new Map<string, number>();
  for (const { line, values } of table.records) {
    const raw = values[config.key]!.trim();
    const label = values[config.labelColumn]!.trim();
    if (raw === '' || label === '') throw new DatasetError('DATASET_MALFORMED', `${path}:${line}: empty ${raw === '' ? config.key : config.labelColumn}`);
    const key = normalizeKey(raw);
    const earlier = labels.get(key);
    if (earlier !== undefined && earlier !== label) {
      throw new DatasetError('DATASET_MALFORMED', `${path}:${line}: ${config.key} ${raw} is labelled "${label}", but "${earlier}" on line ${lines.get(key)}`);
    }
    labels.set(key, label);
    lines.set(key, line);
  }
  if (labels.size === 0) throw new DatasetError('DATASET_EMPTY', `${path}: no labels`);
  return { path, key: config.key, labels };
}

/** The identifiers of one DICOM instance that a label can be keyed by. */
export interface InstanceKeys {
  readonly sopInstanceUID: string;
  readonly seriesInstanceUID?: string | undefined;
  readonly studyInstanceUID?: string | undefined;
  /** Relative to the DICOM root (folder datasets only). */
  readonly path?: string | undefined;
}

/** The label of an instance, or undefined when the table has none for it. */
export function labelOf(table: LabelTable, instance: InstanceKeys): string | undefined {
  const key = instance[table.key];
  return key === undefined ? undefined : table.labels.get(key);
}
