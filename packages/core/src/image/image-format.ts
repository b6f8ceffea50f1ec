import { ImageError } from '../errors.js';
import type { ImageChannels } from './image-tensor.js';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export const IMAGE_FORMATS: readonly ImageFormat[] = ['png', 'jpeg', 'webp'];

export const IMAGE_MIME_TYPES: Readonly<Record<ImageFormat, string>> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/** What a file's header says, before any pixel is decoded. */
export interface ImageHeader {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  /** Channels a decoder gives: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA (palette PNGs expand to RGB or RGBA). */
  readonly channels: ImageChannels;
  /** Bits per sample of the decoded pixels: 16 only for 16-bit PNG, else 8. */
  readonly bitDepth: 8 | 16;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** The format of encoded image bytes from their magic number, or null. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  return null;
}

function truncated(format: ImageFormat): ImageError {
  return new ImageError('IMAGE_DECODE_FAILED', `${format} header is truncated or corrupt`);
}

function pngHeader(bytes: Uint8Array, view: DataView): ImageHeader {
  if (bytes.length < 33 || ascii(bytes, 12, 4) !== 'IHDR') throw truncated('png');
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bitDepth = bytes[24]!;
  const colorType = bytes[25]!;
  // A tRNS chunk (before IDAT) adds an alpha channel to gray, RGB and palette images.
  let transparency = false;
  for (let offset = 33; offset + 8 <= bytes.length; ) {
    const type = ascii(bytes, offset + 4, 4);
    if (type === 'IDAT' || type === 'IEND') break;
    if (type === 'tRNS') transparency = true;
    offset += 12 + view.getUint32(offset);
  }
  const byType: Record<number, ImageChannels> = { 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 };
  let channels = byType[colorType];
  if (channels === undefined) throw new ImageError('IMAGE_DECODE_FAILED', `png colour type ${colorType} is invalid; valid: 0, 2, 3, 4, 6`);
  if (transparency && (channels === 1 || channels === 3)) channels = (channels + 1) as ImageChannels;
  return { format: 'png', width, height, channels, bitDepth: bitDepth === 16 ? 16 : 8 };
}

// Start-of-frame markers of every JPEG process (baseline, extended, progressive, lossless; Huffman or arithmetic).
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpegHeader(bytes: Uint8Array, view: DataView): ImageHeader {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) throw truncated('jpeg');
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    const length = view.getUint16(offset + 2);
    if (SOF_MARKERS.has(marker)) {
      if (offset + 10 > bytes.length) break;
      const components = bytes[offset + 9]!;
      // 4 components are CMYK/YCCK, which decoders convert to RGB.
      return { format: 'jpeg', height: view.getUint16(offset + 5), width: view.getUint16(offset + 7), channels: components === 1 ? 1 : 3, bitDepth: 8 };
    }
    offset += 2 + length;
  }
  throw truncated('jpeg');
}

function webpHeader(bytes: Uint8Array, view: DataView): ImageHeader {
  if (bytes.length < 30) throw truncated('webp');
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8X') {
    const alpha = (bytes[20]! & 0x10) !== 0;
    const width = 1 + (view.getUint32(24, true) & 0xffffff);
    const height = 1 + (view.getUint32(27, true) & 0xffffff);
    return { format: 'webp', width, height, channels: alpha ? 4 : 3, bitDepth: 8 };
  }
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) throw truncated('webp');
    const bits = view.getUint32(21, true);
    return { format: 'webp', width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff), channels: (bits >>> 28) & 1 ? 4 : 3, bitDepth: 8 };
  }
  if (chunk === 'VP8 ') {
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) throw truncated('webp');
    return { format: 'webp', width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff, channels: 3, bitDepth: 8 };
  }
  throw truncated('webp');
}

/** Reads the format, size, channels and bit depth from the header; throws ImageError for other formats or broken headers. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const format = detectImageFormat(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case 'png':
      return pngHeader(bytes, view);
    case 'jpeg':
      return jpegHeader(bytes, view);
    case 'webp':
      return webpHeader(bytes, view);
    default:
      throw new ImageError(
        'IMAGE_UNSUPPORTED_FORMAT',
        `not a supported image: the ${Math.min(bytes.length, 8)} first bytes [${Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ')}] are no ${IMAGE_FORMATS.join(', ')} signature`,
      );
  }
}
