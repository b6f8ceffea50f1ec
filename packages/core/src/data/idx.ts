import { DatasetError } from '../errors.js';
import { decompress, isGzip } from './compression-streams.js';

/** IDX element types by their type code (the third byte of the magic number). */
const IDX_TYPES = {
  0x08: { name: 'u8', bytes: 1 },
  0x09: { name: 'i8', bytes: 1 },
  0x0b: { name: 'i16', bytes: 2 },
  0x0c: { name: 'i32', bytes: 4 },
  0x0d: { name: 'f32', bytes: 4 },
  0x0e: { name: 'f64', bytes: 8 },
} as const;

export type IdxDType = (typeof IDX_TYPES)[keyof typeof IDX_TYPES]['name'];

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** An IDX array (the MNIST file format): its element type, dimensions and values in row-major order. */
export interface IdxArray {
  readonly dtype: IdxDType;
  readonly dims: readonly number[];
  readonly data: IdxData;
}

/**
 * Parses an uncompressed IDX file: magic 00 00 <type> <rank>, one big-endian u32 per dimension,
 * then the values, big-endian. Anything else is a DATASET_MALFORMED error naming `source`.
 */
export function parseIdx(bytes: Uint8Array, source = 'IDX'): IdxArray {
  const fail = (message: string) => new DatasetError('DATASET_MALFORMED', `${source}: ${message}`);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw fail('not an IDX file (the magic number starts 00 00)');
  const type = IDX_TYPES[bytes[2]! as keyof typeof IDX_TYPES];
  if (!type) {
    throw fail(`type code 0x${bytes[2]!.toString(16).padStart(2, '0')} is not an IDX type (valid: ${Object.keys(IDX_TYPES).map((k) => `0x${Number(k).toString(16).padStart(2, '0')}`).join(', ')})`);
  }
  const rank = bytes[3]!;
  if (rank === 0) throw fail('rank 0: an IDX array has at least one dimension');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw fail(`truncated header: ${rank} dimensions need ${headerBytes} bytes, the file has ${bytes.length}`);
  const dims = Array.from({ length: rank }, (_, d) => view.getUint32(4 + 4 * d));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.bytes;
  if (bytes.length !== expected) {
    throw fail(`dimensions [${dims.join(', ')}] of ${type.name} need ${expected} bytes, the file has ${bytes.length}${bytes.length < expected ? ' (truncated)' : ''}`);
  }
  const offset = headerBytes;
  switch (type.name) {
    case 'u8':
      return { dtype: 'u8', dims, data: bytes.slice(offset) };
    case 'i8':
      return { dtype: 'i8', dims, data: new Int8Array(bytes.slice(offset).buffer) };
    default: {
      const read = {
        i16: (i: number) => view.getInt16(offset + 2 * i),
        i32: (i: number) => view.getInt32(offset + 4 * i),
        f32: (i: number) => view.getFloat32(offset + 4 * i),
        f64: (i: number) => view.getFloat64(offset + 8 * i),
      }[type.name];
      const Array_ = { i16: Int16Array, i32: Int32Array, f32: Float32Array, f64: Float64Array }[type.name];
      const data = new Array_(count);
      for (let i = 0; i < count; i++) data[i] = read(i);
      return { dtype: type.name, dims, data };
    }
  }
}

/** Parses an IDX file, gunzipping it first when it is gzip-compressed (as Fashion-MNIST ships). */
export async function readIdx(bytes: Uint8Array, source = 'IDX'): Promise<IdxArray> {
  if (!isGzip(bytes)) return parseIdx(bytes, source);
  let raw: Uint8Array;
  try {
    raw = await decompress(bytes, 'gzip');
  } catch (error) {
    throw new DatasetError('DATASET_MALFORMED', `${source}: gzip data is corrupt or truncated (${(error as Error).message})`, { cause: error });
  }
  return parseIdx(raw, source);
}
