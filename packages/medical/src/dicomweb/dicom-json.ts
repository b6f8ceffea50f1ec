/** One attribute of the DICOM JSON model (PS3.18 F.2): its VR and values. */
export interface DicomJsonAttribute {
  readonly vr: string;
  readonly Value?: readonly unknown[];
  readonly InlineBinary?: string;
  readonly BulkDataURI?: string;
}

/** A data set in the DICOM JSON model, keyed by tag GGGGEEEE (upper-case hex), as QIDO-RS returns. */
export type DicomJsonDataset = Readonly<Record<string, DicomJsonAttribute>>;

/** Tags read from QIDO-RS results and STOW-RS responses. */
export const DicomJsonTag = {
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  SOPInstanceUID: '00080018',
  SOPClassUID: '00080016',
  Modality: '00080060',
  PatientID: '00100020',
  NumberOfFrames: '00280008',
  RetrieveURL: '00081190',
  FailedSOPSequence: '00081198',
  ReferencedSOPSequence: '00081199',
  ReferencedSOPClassUID: '00081150',
  ReferencedSOPInstanceUID: '00081155',
  FailureReason: '00081197',
  WarningReason: '00081196',
} as const;

/** Every value as text: person names by their alphabetic form, numbers as written. */
export function dicomJsonStrings(dataset: DicomJsonDataset, tag: string): string[] {
  const values = dataset[tag.toUpperCase()]?.Value ?? [];
  return values.flatMap((value) => {
    if (typeof value === 'string') return [value];
    if (typeof value === 'number') return [String(value)];
    if (value && typeof value === 'object' && 'Alphabetic' in value) return [String((value as { Alphabetic: unknown }).Alphabetic)];
    return [];
  });
}

/** The first value as text, or undefined when absent or empty. */
export function dicomJsonString(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = dicomJsonStrings(dataset, tag)[0]?.trim();
  return value === '' ? undefined : value;
}

/** The first value as a number, or undefined when absent or not numeric. */
export function dicomJsonNumber(dataset: DicomJsonDataset, tag: string): number | undefined {
  const text = dicomJsonString(dataset, tag);
  const value = text === undefined ? Number.NaN : Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** The items of a sequence attribute ([] when absent). */
export function dicomJsonItems(dataset: DicomJsonDataset, tag: string): DicomJsonDataset[] {
  return (dataset[tag.toUpperCase()]?.Value ?? []).filter((item): item is DicomJsonDataset => typeof item === 'object' && item !== null);
}
