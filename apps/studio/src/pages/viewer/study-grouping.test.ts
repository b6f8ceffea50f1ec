import { describe, expect, it } from 'vitest';
import type { OpenedImageInfo } from '../../workers/decode-protocol.js';
import { groupStudies } from './study-grouping.js';

function image(fileId: number, studyUid: string, seriesUid: string, instanceNumber: number, frames = 1, seriesNumber = 1): OpenedImageInfo {
  return {
    fileId,
    fileName: `f${fileId}.dcm`,
    kind: 'dicom',
    studyUid,
    seriesUid,
    studyDescription: `study ${studyUid}`,
    seriesDescription: '',
    seriesNumber,
    instanceNumber,
    modality: 'CT',
    rows: 2,
    columns: 2,
    frames,
    samplesPerPixel: 1,
    photometric: 'MONOCHROME2',
    bitsStored: 12,
    display: null,
    patient: { name: '', id: '', birthDate: '' },
    warnings: [],
  };
}

describe('groupStudies', () => {
  it('groups by study then series UID, in the order studies were opened, series by number', () => {
    const studies = groupStudies([image(1, 'B', 'b2', 1, 1, 2), image(2, 'A', 'a1', 1), image(3, 'B', 'b1', 1, 1, 1)]);
    expect(studies.map((s) => s.uid)).toEqual(['B', 'A']);
    expect(studies[0]!.series.map((s) => s.uid)).toEqual(['b1', 'b2']);
    expect(studies[0]!.description).toBe('study B');
  });

  it('orders a series by Instance Number, and a multi-frame file contributes each frame as a slice', () => {
    const [study] = groupStudies([image(1, 'A', 's', 3), image(2, 'A', 's', 1, 3), image(3, 'A', 's', 2)]);
    expect(study!.series[0]!.images.map((i) => i.fileId)).toEqual([2, 3, 1]);
    expect(study!.series[0]!.slices).toEqual([
      { fileId: 2, frame: 0 },
      { fileId: 2, frame: 1 },
      { fileId: 2, frame: 2 },
      { fileId: 3, frame: 0 },
      { fileId: 1, frame: 0 },
    ]);
  });

  it('nothing opened, no studies', () => {
    expect(groupStudies([])).toEqual([]);
  });
});
