import { TrainError } from '../errors.js';

/**
 * A small binary container for named f32 tensors plus a JSON header, used by checkpoints and
 * saved heads:
 *   "CVFT" | u32 format version | u32 header byte length | header JSON (UTF-8) | padding to 4 |
 *   each tensor's f32 values, little-endian, in header order.
 */
const MAGIC = 0x54465643; // "CVFT" read as a little-endian u32
const VERSION = 1;

export interface ArchiveTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

interface Header {
  readonly kind: string;
  readonly meta: unknown;
  readonly tensors: readonly { name: string; shape: readonly number[] }[];
}

export function encodeTensorArchive(kind: string, meta: unknown, tensors: readonly ArchiveTensor[]): Uint8Array {
  const header: Header = { kind, meta, tensors: tensors.map((t) => ({ name: t.name, shape: t.shape })) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = Math.ceil((12 + json.length) / 4) * 4;
  const total = dataStart + tensors.reduce((sum, t) => sum + t.data.byteLength, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, json.length, true);
  bytes.set(json, 12);
  let offset = dataStart;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++) view.setFloat32(offset + 4 * i, t.data[i]!, true);
    offset += t.data.byteLength;
  }
  return bytes;
}

export function decodeTensorArchive(bytes: Uint8Array, kind: string): { meta: unknown; tensors: Map<string, ArchiveTensor> } {
  const invalid = (why: string) => new TrainError('TRAIN_CHECKPOINT_INVALID', `not a valid ${kind} (${why})`);
  if (!(bytes instanceof Uint8Array) || bytes.length < 12) throw invalid(`${bytes?.length ?? 0} bytes is too short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw invalid('it does not start with "CVFT"');
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw invalid(`format version ${version}; this build reads version ${VERSION}`);
  const jsonLength = view.getUint32(8, true);
  if (12 + jsonLength > bytes.length) throw invalid('the header runs past the end');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength))) as Header;
  } catch (error) {
    throw invalid(`the header is not JSON: ${(error as Error).message}`);
  }
  if (header.kind !== kind) throw invalid(`it holds a ${String(header.kind)}`);
  if (!Array.isArray(header.tensors)) throw invalid('the header lists no tensors');
  const tensors = new Map<string, ArchiveTensor>();
  let offset = Math.ceil((12 + jsonLength) / 4) * 4;
  for (const { name, shape } of header.tensors) {
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw invalid(`tensor "${name}" has shape ${JSON.stringify(shape)}`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (offset + 4 * size > bytes.length) throw invalid(`tensor "${name}" runs past the end`);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = view.getFloat32(offset + 4 * i, true);
    offset += 4 * size;
    tensors.set(name, { name, shape, data });
  }
  if (offset !== bytes.length) throw invalid(`${bytes.length - offset} bytes follow the last tensor`);
  return { meta: header.meta, tensors };
}
