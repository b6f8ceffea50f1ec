import type { DicomDataSet } from '../dicom/dicom-dataset.js';
import { Tag } from '../dicom/tags.js';
import { sopClassName } from './sop-classes.js';
import { tagKeyword } from './tag-names.js';

/** What any DICOM object is, pixels or not: its SOP Class, modality, title and the sequences that hold its content. */
export interface DicomObjectSummary {
  sopClassUID: string | null;
  /** The SOP Class's name, null when outside CV Factory's table. */
  sopClass: string | null;
  modality: string | null;
  hasPixelData: boolean;
  /** An SR document's title (its concept name), an RT plan's or structure set's label; null otherwise. */
  title: string | null;
  /** Top-level sequences and their item counts (an SR's ContentSequence, an RT plan's BeamSequence, ...). */
  sequences: { tag: string; keyword: string; items: number }[];
  /** Waveform multiplex groups (ECG): channels, samples per channel, sampling frequency in Hz. */
  waveforms: { channels: number; samples: number; frequency: number | null }[];
}

/** Patient, study and series identity: shown only when asked for (`cvf dicom inspect --phi`). */
export interface DicomIdentity {
  patient: { name: string | null; id: string | null; birthDate: string | null; sex: string | null };
  study: { instanceUID: string | null; id: string | null; date: string | null; time: string | null; description: string | null; accessionNumber: string | null };
  series: { instanceUID: string | null; number: string | null; description: string | null };
  sopInstanceUID: string | null;
}

const orNull = (value: string | undefined) => value ?? null;

export function summarizeDicomObject(file: DicomDataSet): DicomObjectSummary {
  const sopClassUID = file.string(Tag.SOPClassUID) ?? file.string(Tag.MediaStorageSOPClassUID);
  const sequences = file
    .tags()
    .filter((tag) => !tag.startsWith('0002') && file.parsed.elements[`x${tag.toLowerCase()}`]!.items !== undefined)
    .map((tag) => ({ tag: `(${tag.slice(0, 4)},${tag.slice(4)})`, keyword: tagKeyword(tag), items: file.sequence(tag)?.length ?? 0 }));
  const concept = file.sequence('0040A043')?.[0]?.string('00080104');
  const title = concept ?? file.string('300A0002') ?? file.string('30060002');
  const waveforms = (file.sequence('54000100') ?? []).map((group) => ({
    channels: group.number('003A0005') ?? 0,
    samples: group.number('003A0010') ?? 0,
    frequency: group.number('003A001A') ?? null,
  }));
  return {
    sopClassUID: orNull(sopClassUID),
    sopClass: orNull(sopClassName(sopClassUID)),
    modality: orNull(file.string(Tag.Modality)),
    hasPixelData: file.has(Tag.PixelData) || file.has(Tag.FloatPixelData) || file.has(Tag.DoubleFloatPixelData),
    title: orNull(title),
    sequences,
    waveforms,
  };
}

export function readDicomIdentity(file: DicomDataSet): DicomIdentity {
  const s = (tag: string) => orNull(file.string(tag));
  return {
    patient: { name: s(Tag.PatientName), id: s(Tag.PatientID), birthDate: s('00100030'), sex: s('00100040') },
    study: { instanceUID: s(Tag.StudyInstanceUID), id: s('00200010'), date: s(Tag.StudyDate), time: s('00080030'), description: s(Tag.StudyDescription), accessionNumber: s('00080050') },
    series: { instanceUID: s(Tag.SeriesInstanceUID), number: s('00200011'), description: s(Tag.SeriesDescription) },
    sopInstanceUID: s(Tag.SOPInstanceUID),
  };
}
