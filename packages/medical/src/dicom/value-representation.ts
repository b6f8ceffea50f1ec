import { Tag } from './tags.js';

/**
 * VRs of the attributes CV Factory interprets, for Implicit VR files (where the file does not say).
 * Where PS3.6 allows two (US or SS, US or OW), the one that reads the stored bytes right is given;
 * callers that care about the sign read the value through the typed getters.
 */
const DICTIONARY: Readonly<Record<string, string>> = {
  [Tag.SpecificCharacterSet]: 'CS',
  [Tag.ImageType]: 'CS',
  [Tag.SOPClassUID]: 'UI',
  [Tag.SOPInstanceUID]: 'UI',
  [Tag.StudyDate]: 'DA',
  [Tag.Modality]: 'CS',
  [Tag.StudyDescription]: 'LO',
  [Tag.SeriesDescription]: 'LO',
  [Tag.PatientName]: 'PN',
  [Tag.PatientID]: 'LO',
  [Tag.StudyInstanceUID]: 'UI',
  [Tag.SeriesInstanceUID]: 'UI',
  [Tag.InstanceNumber]: 'IS',
  [Tag.SamplesPerPixel]: 'US',
  [Tag.PhotometricInterpretation]: 'CS',
  [Tag.PlanarConfiguration]: 'US',
  [Tag.NumberOfFrames]: 'IS',
  [Tag.CineRate]: 'IS',
  [Tag.FrameTime]: 'DS',
  [Tag.FrameTimeVector]: 'DS',
  [Tag.RecommendedDisplayFrameRate]: 'IS',
  [Tag.Rows]: 'US',
  [Tag.Columns]: 'US',
  [Tag.BitsAllocated]: 'US',
  [Tag.BitsStored]: 'US',
  [Tag.HighBit]: 'US',
  [Tag.PixelRepresentation]: 'US',
  [Tag.WindowCenter]: 'DS',
  [Tag.WindowWidth]: 'DS',
  [Tag.RescaleIntercept]: 'DS',
  [Tag.RescaleSlope]: 'DS',
  [Tag.RescaleType]: 'LO',
  [Tag.WindowCenterWidthExplanation]: 'LO',
  [Tag.VOILUTFunction]: 'CS',
  [Tag.ModalityLUTSequence]: 'SQ',
  [Tag.LUTDescriptor]: 'US',
  [Tag.LUTExplanation]: 'LO',
  [Tag.ModalityLUTType]: 'LO',
  [Tag.LUTData]: 'OW',
  [Tag.VOILUTSequence]: 'SQ',
  [Tag.RedPaletteColorLookupTableDescriptor]: 'US',
  [Tag.GreenPaletteColorLookupTableDescriptor]: 'US',
  [Tag.BluePaletteColorLookupTableDescriptor]: 'US',
  [Tag.RedPaletteColorLookupTableData]: 'OW',
  [Tag.GreenPaletteColorLookupTableData]: 'OW',
  [Tag.BluePaletteColorLookupTableData]: 'OW',
  [Tag.SegmentedRedPaletteColorLookupTableData]: 'OW',
  [Tag.SegmentedGreenPaletteColorLookupTableData]: 'OW',
  [Tag.SegmentedBluePaletteColorLookupTableData]: 'OW',
  [Tag.ExtendedOffsetTable]: 'OV',
  [Tag.ExtendedOffsetTableLengths]: 'OV',
  [Tag.FloatPixelData]: 'OF',
  [Tag.DoubleFloatPixelData]: 'OD',
  [Tag.PixelData]: 'OW',
};

/** The dictionary VR of a tag (GGGGEEEE), or undefined for tags outside the short list above. */
export function dictionaryVR(tag: string): string | undefined {
  const vr = DICTIONARY[tag];
  if (vr) return vr;
  // Group lengths (gggg,0000) are UL in every group.
  return tag.endsWith('0000') ? 'UL' : undefined;
}

/** VRs whose values are text in the Specific Character Set (others use the default repertoire). */
export const CHARACTER_SET_VRS: ReadonlySet<string> = new Set(['SH', 'LO', 'ST', 'LT', 'UC', 'UT', 'PN']);

/** VRs holding one text value that may contain backslashes and keeps leading spaces. */
export const SINGLE_TEXT_VRS: ReadonlySet<string> = new Set(['ST', 'LT', 'UT', 'UR']);

/** VRs stored as binary numbers, with the size of one value in bytes. */
export const BINARY_NUMBER_SIZE: Readonly<Record<string, number>> = {
  US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, OW: 2, OL: 4, OF: 4, OD: 8, AT: 4, UV: 8, SV: 8, OV: 8,
};

/** VRs stored as decimal text (DS: decimal string; IS: integer string). */
export const NUMERIC_STRING_VRS: ReadonlySet<string> = new Set(['DS', 'IS']);
