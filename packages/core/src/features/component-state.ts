import { FeatureError } from '../errors.js';

/**
 * The saved state of a component (PCA, feature extractor): a versioned JSON header and a binary
 * body, with a CRC-32 over both. Little-endian throughout:
 *
 *   0   4  magic "CVFS"
 *   4   4  u32 layout version (1)
 *   8   4  u32 header length H (UTF-8 JSON, space-padded to a multiple of 4)
 *   12  4  u32 body length B
 *   16  4  u32 CRC-32 of bytes [20, 20 + H + B)
 *   20  H  header: { "kind", "version", ...the component's fields }
 *   20+H B body (float32 arrays, model bytes, ...)
 */
export interface ComponentHeader {
  readonly kind: string;
  readonly version: number;
  readonly [field: string]: unknown;
}

const MAGIC = [0x43, 0x56, 0x46, 0x53]; // "CVFS"
const LAYOUT_VERSION = 1;
const PREFIX = 20;

export function encodeComponentState(header: ComponentHeader, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  let json = new TextEncoder().encode(JSON.stringify(header));
  if (json.length % 4 !== 0) {
    const padded = new Uint8Array(Math.ceil(json.length / 4) * 4).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const bytes = new Uint8Array(PREFIX + json.length + body.length);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(4, LAYOUT_VERSION, true);
  view.setUint32(8, json.length, true);
  view.setUint32(12, body.length, true);
  bytes.set(json, PREFIX);
  bytes.set(body, PREFIX + json.length);
  view.setUint32(16, crc32(bytes.subarray(PREFIX)), true);
  return bytes;
}

/**
 * Reads a state written by `encodeComponentState`, checking magic, layout, lengths, checksum, the
 * component kind and its version; any mismatch is a FeatureError, never a crash or a half-read state.
 */
export function decodeComponentState<H extends ComponentHeader>(bytes: Uint8Array, kind: string, supportedVersions: readonly number[]): { header: H; body: Uint8Array } {
  const { header, body } = readComponentState(bytes, kind);
  if (header.kind !== kind) throw new FeatureError('FEATURE_STATE_UNSUPPORTED', `state holds a "${String(header.kind)}" component, not "${kind}"`);
  if (!supportedVersions.includes(header.version)) {
    throw new FeatureError('FEATURE_STATE_UNSUPPORTED', `${kind} state version ${header.version} is not supported; this version reads ${supportedVersions.join(', ')}`);
  }
  return { header: header as H, body };
}

/** The kind of component a state holds (checked like `decodeComponentState`), to pick its loader. */
export function componentKind(bytes: Uint8Array): string {
  return readComponentState(bytes, 'component').header.kind;
}

function readComponentState(bytes: Uint8Array, kind: string): { header: ComponentHeader; body: Uint8Array } {
  const corrupt = (why: string) => new FeatureError('FEATURE_STATE_CORRUPT', `${kind} state (${bytes.length} bytes): ${why}`);
  if (!(bytes instanceof Uint8Array)) throw new FeatureError('FEATURE_STATE_CORRUPT', `${kind} state must be a Uint8Array, got ${typeof bytes}`);
  if (bytes.length < PREFIX || MAGIC.some((b, i) => bytes[i] !== b)) throw corrupt('not a CV Factory component state (no "CVFS" magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const layout = view.getUint32(4, true);
  if (layout !== LAYOUT_VERSION) throw new FeatureError('FEATURE_STATE_UNSUPPORTED', `${kind} state: layout version ${layout} is not supported; this version reads ${LAYOUT_VERSION}`);
  const headerLength = view.getUint32(8, true);
  const bodyLength = view.getUint32(12, true);
  if (PREFIX + headerLength + bodyLength !== bytes.length) {
    throw corrupt(`header (${headerLength}) and body (${bodyLength}) lengths do not add up to the ${bytes.length - PREFIX} bytes present (truncated?)`);
  }
  const expected = view.getUint32(16, true);
  const actual = crc32(bytes.subarray(PREFIX));
  if (expected !== actual) throw corrupt(`checksum mismatch (stored ${hex(expected)}, computed ${hex(actual)})`);
  let header: ComponentHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX, PREFIX + headerLength))) as ComponentHeader;
  } catch (cause) {
    throw new FeatureError('FEATURE_STATE_CORRUPT', `${kind} state: the header is not JSON: ${(cause as Error).message}`, { cause });
  }
  if (header === null || typeof header !== 'object' || typeof header.kind !== 'string') throw corrupt('the header names no component kind');
  return { header, body: bytes.subarray(PREFIX + headerLength) };
}

/** Concatenates float32 arrays, little-endian. */
export function float32Body(...arrays: readonly Float32Array[]): Uint8Array {
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const array of arrays) {
    for (let i = 0; i < array.length; i++, offset += 4) view.setFloat32(offset, array[i]!, true);
  }
  return bytes;
}

/** `length` little-endian float32 values of `body` from element `offset`, checked against its size. */
export function readFloat32(body: Uint8Array, offset: number, length: number, kind: string): Float32Array {
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || (offset + length) * 4 > body.length) {
    throw new FeatureError('FEATURE_STATE_CORRUPT', `${kind} state: float32 values [${offset}, ${offset + length}) lie outside the ${body.length / 4}-value body`);
  }
  const view = new DataView(body.buffer, body.byteOffset + offset * 4, length * 4);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as zip and PNG). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
