import { ImageError } from '../errors.js';
import { detectImageFormat, IMAGE_MIME_TYPES } from './image-format.js';

/** The media types `decodeInput` decodes. */
export type InputMediaType = 'image/png' | 'image/jpeg' | 'image/webp' | 'application/dicom';

export const INPUT_MEDIA_TYPES: readonly InputMediaType[] = ['image/png', 'image/jpeg', 'image/webp', 'application/dicom'];

/** A DICOM Part 10 file: a 128-byte preamble, then "DICM". */
const DICOM_MAGIC_OFFSET = 128;

function isDicomPart10(bytes: Uint8Array): boolean {
  return bytes.length >= DICOM_MAGIC_OFFSET + 4 && String.fromCharCode(...bytes.subarray(DICOM_MAGIC_OFFSET, DICOM_MAGIC_OFFSET + 4)) === 'DICM';
}

function unsupported(message: string): ImageError {
  return new ImageError('INPUT_UNSUPPORTED_MEDIA', `${message}; supported: ${INPUT_MEDIA_TYPES.join(', ')}`);
}

/**
 * The media type of encoded bytes from their magic numbers: PNG, JPEG and WebP signatures at the
 * start, DICOM Part 10 by "DICM" after its 128-byte preamble. Anything else (including bytes cut
 * before their signature ends) is an ImageError INPUT_UNSUPPORTED_MEDIA naming the first bytes seen.
 */
export function sniffMediaType(bytes: Uint8Array): InputMediaType {
  const format = detectImageFormat(bytes);
  if (format) return IMAGE_MIME_TYPES[format] as InputMediaType;
  if (isDicomPart10(bytes)) return 'application/dicom';
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const at128 = bytes.length > DICOM_MAGIC_OFFSET ? `, bytes 128..131 [${Array.from(bytes.subarray(128, 132), (b) => b.toString(16).padStart(2, '0')).join(' ')}]` : '';
  throw unsupported(`unrecognised input of ${bytes.length} bytes (first bytes [${head}]${at128}): no PNG, JPEG or WebP signature and no DICM at byte 128`);
}

/**
 * A media type as given by a caller (a Content-Type, a DICOMweb part's type) → one `decodeInput`
 * decodes: case and parameters (`; transfer-syntax=…`) are ignored. Others are
 * INPUT_UNSUPPORTED_MEDIA naming the type.
 */
export function parseMediaType(mediaType: string): InputMediaType {
  const essence = mediaType.split(';')[0]!.trim().toLowerCase();
  if ((INPUT_MEDIA_TYPES as readonly string[]).includes(essence)) return essence as InputMediaType;
  throw unsupported(`media type "${mediaType}" has no decoder`);
}
