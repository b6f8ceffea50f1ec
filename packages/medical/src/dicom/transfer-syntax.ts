/**
 * DICOM transfer syntax UIDs (PS3.5 §10 and PS3.6 Annex A) under readable names. Decoding is keyed
 * by these constants in one table (frame-decoders.ts); this file only says what each UID is.
 */
export const TransferSyntax = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  EncapsulatedUncompressedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.98',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
  JPEGBaseline8Bit: '1.2.840.10008.1.2.4.50',
  JPEGExtended12Bit: '1.2.840.10008.1.2.4.51',
  JPEGLossless: '1.2.840.10008.1.2.4.57',
  JPEGLosslessSV1: '1.2.840.10008.1.2.4.70',
  JPEGLSLossless: '1.2.840.10008.1.2.4.80',
  JPEGLSNearLossless: '1.2.840.10008.1.2.4.81',
  JPEG2000Lossless: '1.2.840.10008.1.2.4.90',
  JPEG2000: '1.2.840.10008.1.2.4.91',
  JPEG2000MCLossless: '1.2.840.10008.1.2.4.92',
  JPEG2000MC: '1.2.840.10008.1.2.4.93',
  JPIPReferenced: '1.2.840.10008.1.2.4.94',
  JPIPReferencedDeflate: '1.2.840.10008.1.2.4.95',
  MPEG2MPML: '1.2.840.10008.1.2.4.100',
  MPEG2MPHL: '1.2.840.10008.1.2.4.101',
  MPEG4HP41: '1.2.840.10008.1.2.4.102',
  MPEG4HP41BD: '1.2.840.10008.1.2.4.103',
  MPEG4HP422D: '1.2.840.10008.1.2.4.104',
  MPEG4HP423D: '1.2.840.10008.1.2.4.105',
  MPEG4HP42STEREO: '1.2.840.10008.1.2.4.106',
  HEVCMP51: '1.2.840.10008.1.2.4.107',
  HEVCM10P51: '1.2.840.10008.1.2.4.108',
  JPEGXLLossless: '1.2.840.10008.1.2.4.110',
  JPEGXLJPEGRecompression: '1.2.840.10008.1.2.4.111',
  JPEGXL: '1.2.840.10008.1.2.4.112',
  HTJ2KLossless: '1.2.840.10008.1.2.4.201',
  HTJ2KLosslessRPCL: '1.2.840.10008.1.2.4.202',
  HTJ2K: '1.2.840.10008.1.2.4.203',
  RLELossless: '1.2.840.10008.1.2.5',
} as const;

export type TransferSyntaxUID = (typeof TransferSyntax)[keyof typeof TransferSyntax];

const NAMES: Readonly<Record<string, string>> = {
  [TransferSyntax.ImplicitVRLittleEndian]: 'Implicit VR Little Endian',
  [TransferSyntax.ExplicitVRLittleEndian]: 'Explicit VR Little Endian',
  [TransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian]: 'Encapsulated Uncompressed Explicit VR Little Endian',
  [TransferSyntax.DeflatedExplicitVRLittleEndian]: 'Deflated Explicit VR Little Endian',
  [TransferSyntax.ExplicitVRBigEndian]: 'Explicit VR Big Endian (retired)',
  [TransferSyntax.JPEGBaseline8Bit]: 'JPEG Baseline (Process 1)',
  [TransferSyntax.JPEGExtended12Bit]: 'JPEG Extended (Process 2 & 4)',
  [TransferSyntax.JPEGLossless]: 'JPEG Lossless, Non-Hierarchical (Process 14)',
  [TransferSyntax.JPEGLosslessSV1]: 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, Selection Value 1)',
  [TransferSyntax.JPEGLSLossless]: 'JPEG-LS Lossless',
  [TransferSyntax.JPEGLSNearLossless]: 'JPEG-LS Lossy (Near-Lossless)',
  [TransferSyntax.JPEG2000Lossless]: 'JPEG 2000 Image Compression (Lossless Only)',
  [TransferSyntax.JPEG2000]: 'JPEG 2000 Image Compression',
  [TransferSyntax.JPEG2000MCLossless]: 'JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)',
  [TransferSyntax.JPEG2000MC]: 'JPEG 2000 Part 2 Multi-component Image Compression',
  [TransferSyntax.JPIPReferenced]: 'JPIP Referenced',
  [TransferSyntax.JPIPReferencedDeflate]: 'JPIP Referenced Deflate',
  [TransferSyntax.MPEG2MPML]: 'MPEG2 Main Profile / Main Level',
  [TransferSyntax.MPEG2MPHL]: 'MPEG2 Main Profile / High Level',
  [TransferSyntax.MPEG4HP41]: 'MPEG-4 AVC/H.264 High Profile / Level 4.1',
  [TransferSyntax.MPEG4HP41BD]: 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1',
  [TransferSyntax.MPEG4HP422D]: 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video',
  [TransferSyntax.MPEG4HP423D]: 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video',
  [TransferSyntax.MPEG4HP42STEREO]: 'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2',
  [TransferSyntax.HEVCMP51]: 'HEVC/H.265 Main Profile / Level 5.1',
  [TransferSyntax.HEVCM10P51]: 'HEVC/H.265 Main 10 Profile / Level 5.1',
  [TransferSyntax.JPEGXLLossless]: 'JPEG XL Lossless',
  [TransferSyntax.JPEGXLJPEGRecompression]: 'JPEG XL JPEG Recompression',
  [TransferSyntax.JPEGXL]: 'JPEG XL',
  [TransferSyntax.HTJ2KLossless]: 'High-Throughput JPEG 2000 Image Compression (Lossless Only)',
  [TransferSyntax.HTJ2KLosslessRPCL]: 'High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)',
  [TransferSyntax.HTJ2K]: 'High-Throughput JPEG 2000 Image Compression',
  [TransferSyntax.RLELossless]: 'RLE Lossless',
};

/** The transfer syntax's name from PS3.6, or "unknown transfer syntax" for a UID it does not list. */
export function transferSyntaxName(uid: string): string {
  return NAMES[uid] ?? 'unknown transfer syntax';
}

/** Syntaxes whose Pixel Data is stored as plain samples rather than in encapsulated fragments. */
const NATIVE = new Set<string>([
  TransferSyntax.ImplicitVRLittleEndian,
  TransferSyntax.ExplicitVRLittleEndian,
  TransferSyntax.DeflatedExplicitVRLittleEndian,
  TransferSyntax.ExplicitVRBigEndian,
]);

export function isEncapsulated(uid: string): boolean {
  return !NATIVE.has(uid);
}

/** Syntaxes whose decoded pixels may differ from the original (lossy compression). */
const LOSSY = new Set<string>([
  TransferSyntax.JPEGBaseline8Bit,
  TransferSyntax.JPEGExtended12Bit,
  TransferSyntax.JPEGLSNearLossless,
  TransferSyntax.JPEG2000,
  TransferSyntax.JPEG2000MC,
  TransferSyntax.HTJ2K,
  TransferSyntax.JPEGXL,
  TransferSyntax.JPEGXLJPEGRecompression,
]);

export function isLossy(uid: string): boolean {
  return LOSSY.has(uid);
}
