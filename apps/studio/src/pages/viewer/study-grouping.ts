import type { OpenedImageInfo } from '../../workers/decode-protocol.js';

/** One image to show: a frame of an opened file. Scrolling walks a series' slices in order. */
export interface Slice {
  readonly fileId: number;
  readonly frame: number;
}

export interface Series {
  readonly uid: string;
  readonly description: string;
  readonly number: number;
  readonly modality: string;
  /** The files of the series, by Instance Number (then file name). */
  readonly images: readonly OpenedImageInfo[];
  /** Every frame of every file, in that order: a multi-frame file contributes its frames. */
  readonly slices: readonly Slice[];
}

export interface Study {
  readonly uid: string;
  readonly description: string;
  readonly series: readonly Series[];
}

/**
 * Opened files grouped by Study Instance UID, then Series Instance UID (DICOM's own keys), in the
 * order the studies were first opened; series by Series Number, images by Instance Number.
 */
export function groupStudies(images: readonly OpenedImageInfo[]): Study[] {
  const studies = new Map<string, Map<string, OpenedImageInfo[]>>();
  for (const image of images) {
    const study = studies.get(image.studyUid) ?? new Map<string, OpenedImageInfo[]>();
    studies.set(image.studyUid, study);
    const series = study.get(image.seriesUid) ?? [];
    study.set(image.seriesUid, series);
    series.push(image);
  }
  return [...studies].map(([uid, seriesByUid]) => {
    const series = [...seriesByUid].map(([seriesUid, members]) => seriesOf(seriesUid, members)).sort((a, b) => a.number - b.number);
    const description = members(seriesByUid).find((i) => i.studyDescription)?.studyDescription ?? '';
    return { uid, description, series };
  });
}

function members(seriesByUid: Map<string, OpenedImageInfo[]>): OpenedImageInfo[] {
  return [...seriesByUid.values()].flat();
}

function seriesOf(uid: string, members: OpenedImageInfo[]): Series {
  const images = [...members].sort((a, b) => a.instanceNumber - b.instanceNumber || a.fileName.localeCompare(b.fileName));
  const first = images[0]!;
  return {
    uid,
    description: images.find((i) => i.seriesDescription)?.seriesDescription ?? '',
    number: first.seriesNumber,
    modality: first.modality,
    images,
    slices: images.flatMap((image) => Array.from({ length: image.frames }, (_, frame) => ({ fileId: image.fileId, frame }))),
  };
}
