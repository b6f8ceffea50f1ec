/**
 * Tags of the attributes CV Factory reads, as 8 hex digits GGGGEEEE. Every getter of a data set
 * also accepts `(GGGG,EEEE)`, `GGGG,EEEE` and dicom-parser's `xggggeeee`.
 */
export const Tag = {
  // File Meta Information
  FileMetaInformationVersion: '00020001',
  MediaStorageSOPClassUID: '00020002',
  MediaStorageSOPInstanceUID: '00020003',
  TransferSyntaxUID: '00020010',
  ImplementationClassUID: '00020012',
  ImplementationVersionName: '00020013',
  // Patient, study, series, instance
  SpecificCharacterSet: '00080005',
  ImageType: '00080008',
  SOPClassUID: '00080016',
  SOPInstanceUID: '00080018',
  StudyDate: '00080020',
  Modality: '00080060',
  StudyDescription: '00081030',
  SeriesDescription: '0008103E',
  PatientName: '00100010',
  PatientID: '00100020',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  InstanceNumber: '00200013',
  BodyPartExamined: '00180015',
  // Cine module (ultrasound and other multi-frame clips): frame timing
  CineRate: '00180040',
  FrameTime: '00181063',
  FrameTimeVector: '00181065',
  RecommendedDisplayFrameRate: '00082144',
  // Image Pixel module
  SamplesPerPixel: '00280002',
  PhotometricInterpretation: '00280004',
  PlanarConfiguration: '00280006',
  NumberOfFrames: '00280008',
  Rows: '00280010',
  Columns: '00280011',
  BitsAllocated: '00280100',
  BitsStored: '00280101',
  HighBit: '00280102',
  PixelRepresentation: '00280103',
  // Modality and VOI LUTs
  WindowCenter: '00281050',
  WindowWidth: '00281051',
  RescaleIntercept: '00281052',
  RescaleSlope: '00281053',
  RescaleType: '00281054',
  WindowCenterWidthExplanation: '00281055',
  VOILUTFunction: '00281056',
  ModalityLUTSequence: '00283000',
  LUTDescriptor: '00283002',
  LUTExplanation: '00283003',
  ModalityLUTType: '00283004',
  LUTData: '00283006',
  VOILUTSequence: '00283010',
  // Palette Color Lookup Table module
  RedPaletteColorLookupTableDescriptor: '00281101',
  GreenPaletteColorLookupTableDescriptor: '00281102',
  BluePaletteColorLookupTableDescriptor: '00281103',
  RedPaletteColorLookupTableData: '00281201',
  GreenPaletteColorLookupTableData: '00281202',
  BluePaletteColorLookupTableData: '00281203',
  SegmentedRedPaletteColorLookupTableData: '00281221',
  SegmentedGreenPaletteColorLookupTableData: '00281222',
  SegmentedBluePaletteColorLookupTableData: '00281223',
  // Pixel data
  ExtendedOffsetTable: '7FE00001',
  ExtendedOffsetTableLengths: '7FE00002',
  FloatPixelData: '7FE00008',
  DoubleFloatPixelData: '7FE00009',
  PixelData: '7FE00010',
} as const;

export type TagName = keyof typeof Tag;

const parserTags = new Map<string, string>();

/** `xggggeeee`, the key dicom-parser uses, from any of the accepted spellings of a tag. */
export function parserTag(tag: string): string {
  if (tag.length === 9 && tag.charCodeAt(0) === 0x78 /* x */) return tag;
  let key = parserTags.get(tag);
  if (key === undefined) {
    const hex = tag.replace(/[(),\s]/g, '');
    if (!/^[0-9a-fA-F]{8}$/.test(hex)) {
      throw new TypeError(`"${tag}" is not a DICOM tag; write it as GGGGEEEE, (GGGG,EEEE) or xggggeeee`);
    }
    key = `x${hex.toLowerCase()}`;
    // Callers use a bounded set of tag spellings (mostly the Tag constants); the cache stays small.
    if (parserTags.size < 10_000) parserTags.set(tag, key);
  }
  return key;
}

/** `GGGGEEEE` (upper case) from dicom-parser's `xggggeeee`. */
export function tagFromParser(key: string): string {
  return key.slice(1).toUpperCase();
}
