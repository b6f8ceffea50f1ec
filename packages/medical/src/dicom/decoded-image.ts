/** The typed array of one decoded frame: its type follows Bits Allocated and Pixel Representation. */
export type PixelArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/**
 * Decoded frames of a DICOM image, as stored values (no Modality or VOI LUT applied).
 * Monochrome: one sample per pixel, MONOCHROME1 kept as stored (inversion is a display step).
 * Colour (RGB, YBR_*, PALETTE COLOR): three samples per pixel, interleaved R,G,B, row by row.
 */
export interface DecodedImage {
  readonly transferSyntaxUID: string;
  readonly rows: number;
  readonly columns: number;
  /** Number of frames decoded (= data.length). */
  readonly frames: number;
  /** Number of Frames (0028,0008) of the file (1 when absent). */
  readonly numberOfFrames: number;
  /** Which frames of the file `data` holds, 0-based, in order. */
  readonly frameIndices: readonly number[];
  /** 1 for monochrome, 3 for every colour image (after conversion to RGB). */
  readonly samplesPerPixel: number;
  /** Bits per sample of `data` (8, 16 or 32; PALETTE COLOR: the LUT's entry size; 1-bit data comes back as 8). */
  readonly bitsAllocated: number;
  /** Significant bits of each stored value: values are masked to them and sign-extended when signed. */
  readonly bitsStored: number;
  /** 0 unsigned, 1 two's complement (the typed array is signed accordingly). */
  readonly pixelRepresentation: 0 | 1;
  /** After conversion: MONOCHROME1, MONOCHROME2 or RGB (YBR_FULL, YBR_FULL_422, YBR_ICT, YBR_RCT and PALETTE COLOR become RGB). */
  readonly photometricInterpretation: string;
  /** As written in the file, before conversion. */
  readonly storedPhotometricInterpretation: string;
  /** One typed array per decoded frame, rows × columns × samplesPerPixel values each. */
  readonly data: readonly PixelArray[];
}
