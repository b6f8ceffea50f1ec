import { DicomError } from '@cvf/core';
import type { FrameCodec } from './codecs/codec-frame.js';
import { htj2kCodec } from './codecs/htj2k.js';
import { jpeg2000Codec } from './codecs/jpeg-2000.js';
import { jpegBaselineCodec } from './codecs/jpeg-baseline.js';
import { jpegLosslessCodec } from './codecs/jpeg-lossless.js';
import { jpegLsCodec } from './codecs/jpeg-ls.js';
import { rleLosslessCodec } from './codecs/rle-lossless.js';
import { TransferSyntax, transferSyntaxName } from './transfer-syntax.js';

/**
 * How the pixels of a transfer syntax are read: native samples in a byte order, encapsulated
 * native frames, or encapsulated codestreams for a codec.
 */
export type PixelDecoder =
  | { readonly kind: 'native'; readonly littleEndian: boolean }
  | { readonly kind: 'encapsulated-native' }
  | { readonly kind: 'codec'; readonly codec: FrameCodec };

const LITTLE_ENDIAN: PixelDecoder = { kind: 'native', littleEndian: true };

/** The one table from transfer syntax to pixel decoder. A syntax not in it is unsupported. */
export const PIXEL_DECODERS: ReadonlyMap<string, PixelDecoder> = new Map<string, PixelDecoder>([
  [TransferSyntax.ImplicitVRLittleEndian, LITTLE_ENDIAN],
  [TransferSyntax.ExplicitVRLittleEndian, LITTLE_ENDIAN],
  // The parser has already inflated the data set.
  [TransferSyntax.DeflatedExplicitVRLittleEndian, LITTLE_ENDIAN],
  [TransferSyntax.ExplicitVRBigEndian, { kind: 'native', littleEndian: false }],
  [TransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian, { kind: 'encapsulated-native' }],
  [TransferSyntax.RLELossless, { kind: 'codec', codec: rleLosslessCodec }],
  [TransferSyntax.JPEGBaseline8Bit, { kind: 'codec', codec: jpegBaselineCodec }],
  [TransferSyntax.JPEGExtended12Bit, { kind: 'codec', codec: jpegBaselineCodec }],
  [TransferSyntax.JPEGLossless, { kind: 'codec', codec: jpegLosslessCodec }],
  [TransferSyntax.JPEGLosslessSV1, { kind: 'codec', codec: jpegLosslessCodec }],
  [TransferSyntax.JPEGLSLossless, { kind: 'codec', codec: jpegLsCodec }],
  [TransferSyntax.JPEGLSNearLossless, { kind: 'codec', codec: jpegLsCodec }],
  [TransferSyntax.JPEG2000Lossless, { kind: 'codec', codec: jpeg2000Codec }],
  [TransferSyntax.JPEG2000, { kind: 'codec', codec: jpeg2000Codec }],
  [TransferSyntax.HTJ2KLossless, { kind: 'codec', codec: htj2kCodec }],
  [TransferSyntax.HTJ2KLosslessRPCL, { kind: 'codec', codec: htj2kCodec }],
  [TransferSyntax.HTJ2K, { kind: 'codec', codec: htj2kCodec }],
]);

/** Transfer syntaxes whose pixels CV Factory decodes. */
export const SUPPORTED_TRANSFER_SYNTAXES: readonly string[] = [...PIXEL_DECODERS.keys()];

/** The decoder for `uid`, or DICOM_UNSUPPORTED_TRANSFER_SYNTAX naming the UID, its name and what is supported. */
export function pixelDecoderFor(uid: string): PixelDecoder {
  const decoder = PIXEL_DECODERS.get(uid);
  if (decoder) return decoder;
  throw new DicomError(
    'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
    `transfer syntax ${uid} (${transferSyntaxName(uid)}) is not supported for pixel decoding; supported: ${SUPPORTED_TRANSFER_SYNTAXES.map((u) => `${u} (${transferSyntaxName(u)})`).join(', ')}`
  );
}
