/** What the SOF segment of a JPEG stream says, read without decoding. */
export interface JpegFrameHeader {
  /** SOF marker: 0xC0 baseline, 0xC1 extended, 0xC2 progressive, 0xC3 lossless, 0xF7 JPEG-LS, … */
  readonly marker: number;
  readonly precision: number;
  readonly rows: number;
  readonly columns: number;
  readonly componentIds: readonly number[];
  /** An Adobe APP14 segment's transform flag (0: no colour transform, 1: YCbCr, 2: YCCK), if present. */
  readonly adobeTransform: number | undefined;
  /** A JFIF APP0 segment is present (which implies YCbCr for three components). */
  readonly jfif: boolean;
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf, 0xf7]);

/** Reads the segments before the first scan; undefined when the bytes are not a JPEG stream with a frame header. */
export function readJpegFrameHeader(bytes: Uint8Array): JpegFrameHeader | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let adobeTransform: number | undefined;
  let jfif = false;
  let p = 2;
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) return undefined;
    const marker = bytes[p + 1]!;
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2;
      continue;
    }
    const length = (bytes[p + 2]! << 8) | bytes[p + 3]!;
    const body = p + 4;
    if (marker === 0xe0 && bytes[body] === 0x4a && bytes[body + 1] === 0x46 && bytes[body + 2] === 0x49 && bytes[body + 3] === 0x46) jfif = true;
    if (marker === 0xee && length >= 12 && bytes[body] === 0x41 && bytes[body + 1] === 0x64 && bytes[body + 2] === 0x6f && bytes[body + 3] === 0x62 && bytes[body + 4] === 0x65) {
      adobeTransform = bytes[body + 11];
    }
    if (SOF_MARKERS.has(marker)) {
      if (body + 6 > bytes.length) return undefined;
      const components = bytes[body + 5]!;
      const componentIds: number[] = [];
      for (let c = 0; c < components && body + 6 + c * 3 < bytes.length; c++) componentIds.push(bytes[body + 6 + c * 3]!);
      return {
        marker,
        precision: bytes[body]!,
        rows: (bytes[body + 1]! << 8) | bytes[body + 2]!,
        columns: (bytes[body + 3]! << 8) | bytes[body + 4]!,
        componentIds,
        adobeTransform,
        jfif,
      };
    }
    if (marker === 0xda || marker === 0xd9) return undefined;
    p += 2 + length;
  }
  return undefined;
}
