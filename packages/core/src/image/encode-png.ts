import { compress } from '../data/compression-streams.js';
import { DtypeError } from '../errors.js';
import { imageSize, type ImageTensor } from './image-tensor.js';

// PNG colour types by channel count: gray, gray + alpha, RGB, RGBA.
const COLOR_TYPE = { 1: 0, 2: 4, 3: 2, 4: 6 } as const;

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes a u8 or u16 image as a PNG (8 or 16 bits per sample; gray, gray + alpha, RGB or RGBA
 * after its channel count), losslessly: decoding it gives the same tensor back. Rows are stored
 * unfiltered. Isomorphic (CompressionStream), for exporting images and for test fixtures.
 */
export async function encodePng(image: ImageTensor): Promise<Uint8Array> {
  const { height, width, channels } = imageSize(image);
  if (image.dtype !== 'u8' && image.dtype !== 'u16') throw new DtypeError(`encodePng: dtype ${image.dtype}; PNG holds u8 or u16`);
  const bytesPerSample = image.dtype === 'u16' ? 2 : 1;
  const stride = width * channels * bytesPerSample;
  const raw = new Uint8Array(height * (1 + stride));
  const view = new DataView(raw.buffer);
  const data = image.data;
  for (let y = 0; y < height; y++) {
    const row = y * (1 + stride); // filter byte 0 (None), then the samples, big-endian
    for (let i = 0; i < width * channels; i++) {
      const value = data[y * width * channels + i]!;
      if (bytesPerSample === 2) view.setUint16(row + 1 + 2 * i, value);
      else raw[row + 1 + i] = value;
    }
  }
  const header = new Uint8Array(13);
  const headerView = new DataView(header.buffer);
  headerView.setUint32(0, width);
  headerView.setUint32(4, height);
  header[8] = 8 * bytesPerSample;
  header[9] = COLOR_TYPE[channels];
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', await compress(raw, 'deflate')),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
