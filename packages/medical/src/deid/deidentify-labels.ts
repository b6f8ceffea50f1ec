import { DeidError, parseCsvTable, type CsvTable } from '@cvf/core';
import type { PatientPseudonyms } from './patient-pseudonym.js';
import type { UidRemapper } from './uid-remapper.js';

/** Columns a labels file can be keyed by, as `data.source.labels.key` names them, and what replaces their values. */
const UID_COLUMNS = ['sopInstanceUID', 'seriesInstanceUID', 'studyInstanceUID'] as const;
const PATIENT_COLUMN = 'patientId';

export interface DeidentifiedLabels {
  /** The CSV with the same columns and rows, identifiers replaced. */
  readonly text: string;
  readonly rows: number;
  /** Columns whose values were replaced. */
  readonly columns: readonly string[];
  /** Rows none of whose UIDs or patient IDs belongs to a file that was de-identified (their values are replaced all the same). */
  readonly unmatched: number;
}

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A labels CSV read for de-identification: its table and the columns that hold identifiers. */
export interface LabelsToDeidentify {
  readonly table: CsvTable;
  readonly uidColumns: readonly string[];
  readonly patientColumn: string | undefined;
}

/** Parses a labels CSV and finds its identifier columns; a CSV with none is refused (DEID_INVALID_OPTIONS) before any file is written. */
export function readLabelsToDeidentify(csv: string, source: string): LabelsToDeidentify {
  const table = parseCsvTable(csv, { source });
  const uidColumns = table.columns.filter((c) => (UID_COLUMNS as readonly string[]).includes(c));
  const patientColumn = table.columns.includes(PATIENT_COLUMN) ? PATIENT_COLUMN : undefined;
  if (uidColumns.length === 0 && patientColumn === undefined) {
    throw new DeidError(
      'DEID_INVALID_OPTIONS',
      `${source}: no column to de-identify (columns: ${table.columns.join(', ')}); a labels file keyed by DICOM has one of ${[...UID_COLUMNS, PATIENT_COLUMN].join(', ')}`,
    );
  }
  return { table, uidColumns, patientColumn };
}

/**
 * Rewrites a labels CSV for a de-identified copy of its DICOM files: the values of its
 * sopInstanceUID, seriesInstanceUID and studyInstanceUID columns become the new UIDs (the same
 * remapper, so they match the files), a patientId column becomes the pseudonyms; other columns
 * (the label, a path — paths are mirrored) are copied. Rows are counted as unmatched when none of
 * their identifiers was met in the files (read `remapper.mapping` before calling), which is worth
 * a warning: the labels may belong to other files.
 */
export async function deidentifyLabels(
  { table, uidColumns, patientColumn }: LabelsToDeidentify,
  { remapper, pseudonyms, seen }: { remapper: UidRemapper; pseudonyms: PatientPseudonyms; seen: { uids: ReadonlySet<string>; patientIds: ReadonlySet<string> } },
): Promise<DeidentifiedLabels> {
  let unmatched = 0;
  const lines = [table.columns.map(field).join(',')];
  for (const { values } of table.records) {
    const row = { ...values };
    let matched = false;
    for (const column of uidColumns) {
      const uid = row[column]!.trim();
      matched ||= seen.uids.has(uid);
      row[column] = await remapper.remap(uid);
    }
    if (patientColumn) {
      const id = row[patientColumn]!.trim();
      matched ||= seen.patientIds.has(id);
      row[patientColumn] = await pseudonyms.pseudonym(id);
    }
    if (!matched) unmatched++;
    lines.push(table.columns.map((c) => field(row[c]!)).join(','));
  }
  return { text: `${lines.join('\n')}\n`, rows: table.records.length, columns: [...uidColumns, ...(patientColumn ? [patientColumn] : [])], unmatched };
}
