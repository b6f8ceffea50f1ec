/**
 * What the display pipeline reads from a data set. `DicomDataSet` of ../dicom fits it as is; any
 * other reader (a test double over plain values, a JSON data set) can implement it. Tags are
 * GGGGEEEE.
 */
export interface DisplayTagSource {
  /** Every value as text, trimmed; [] when absent or empty. */
  strings(tag: string): string[];
  /** Every value as a number (binary VRs, or DS/IS); [] when absent or empty. */
  numbers(tag: string): number[];
  /** The raw value bytes, or undefined when absent. */
  bytes(tag: string): Uint8Array | undefined;
  /** The element's VR (as written, or from a dictionary); undefined when unknown. */
  vr(tag: string): string | undefined;
  /** The items of a sequence, or undefined when absent. */
  sequence(tag: string): readonly DisplayTagSource[] | undefined;
  /** Byte order of binary values in `bytes`. */
  readonly littleEndian: boolean;
}

/** Tags of the display pipeline: Image Pixel, Modality LUT, VOI LUT and Enhanced multi-frame modules. */
export const DisplayTag = {
  Modality: '00080060',
  PhotometricInterpretation: '00280004',
  BitsStored: '00280101',
  PixelRepresentation: '00280103',
  WindowCenter: '00281050',
  WindowWidth: '00281051',
  RescaleIntercept: '00281052',
  RescaleSlope: '00281053',
  WindowCenterWidthExplanation: '00281055',
  VOILUTFunction: '00281056',
  ModalityLUTSequence: '00283000',
  LUTDescriptor: '00283002',
  LUTExplanation: '00283003',
  LUTData: '00283006',
  VOILUTSequence: '00283010',
  FrameVOILUTSequence: '00289132',
  PixelValueTransformationSequence: '00289145',
  SharedFunctionalGroupsSequence: '52009229',
  PerFrameFunctionalGroupsSequence: '52009230',
} as const;
