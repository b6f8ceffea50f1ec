import { BundleError } from '../errors.js';
import { assertBundlePath, isBundleMetaFile, MANIFEST_FILE } from './bundle-path.js';

// A bundle shipped as one file is a POSIX ustar archive of its files: readable by `tar`, and
// small enough to read whole into memory. Only regular files (and directory entries, ignored)
// are accepted: links and devices in a bundle are refused, never followed.

const BLOCK = 512;
const REGULAR = new Set(['0', '\0']);
const DIRECTORY = '5';
const PAX = new Set(['x', 'g']); // extended headers of pax archives: metadata only

/** Files of a bundle (manifest included) → a ustar archive, entries in the given order, with a fixed mtime so equal bundles give equal bytes. */
export function writeTar(entries: Iterable<readonly [string, Uint8Array]>, mtimeSeconds = 0): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const [path, bytes] of entries) {
    if (!isBundleMetaFile(path)) assertBundlePath(path);
    const header = tarHeader(path, bytes.byteLength, mtimeSeconds);
    const padded = Math.ceil(bytes.byteLength / BLOCK) * BLOCK;
    parts.push(header, bytes, new Uint8Array(padded - bytes.byteLength));
    total += BLOCK + padded;
  }
  parts.push(new Uint8Array(2 * BLOCK)); // end of archive
  const out = new Uint8Array(total + 2 * BLOCK);
  let offset = 0;
  for (const part of parts) (out.set(part, offset), (offset += part.byteLength));
  return out;
}

/** A ustar archive → its files by path (a leading "./" dropped). Malformed archives and unsafe entries are BUNDLE_INVALID. */
export function readTar(archive: Uint8Array, location = 'the archive'): Map<string, Uint8Array> {
  const invalid = (why: string) => new BundleError('BUNDLE_INVALID', `${location} is not a bundle archive: ${why}`);
  const files = new Map<string, Uint8Array>();
  let offset = 0;
  while (offset + BLOCK <= archive.byteLength) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return files;
    if (checksumOf(header) !== octal(header, 148, 8)) throw invalid(`the header at byte ${offset} has a wrong checksum`);
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const prefix = text(header, 345, 155);
    const name = (prefix ? `${prefix}/` : '') + text(header, 0, 100);
    const start = offset + BLOCK;
    if (!Number.isSafeInteger(size) || size < 0 || start + size > archive.byteLength) throw invalid(`entry "${name}" runs past the end (${size} bytes)`);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === DIRECTORY || PAX.has(type)) continue;
    if (!REGULAR.has(type)) throw invalid(`entry "${name}" is not a regular file (type "${type}")`);
    const path = name.replace(/^(\.\/)+/, '');
    if (!isBundleMetaFile(path)) assertBundlePath(path);
    if (files.has(path)) throw invalid(`"${path}" appears twice`);
    files.set(path, archive.slice(start, start + size));
  }
  throw invalid('it ends without the two zero blocks of a tar archive');
}

function tarHeader(path: string, size: number, mtime: number): Uint8Array {
  const header = new Uint8Array(BLOCK);
  const encoded = new TextEncoder().encode(path);
  let name = encoded;
  let prefix = new Uint8Array(0);
  if (encoded.length > 100) {
    // ustar splits long names at a "/" into prefix (155) and name (100).
    const cut = path.lastIndexOf('/', 155);
    if (cut < 0 || encoded.length - cut - 1 > 100) throw new BundleError('BUNDLE_INVALID', `bundle file name "${path}" is too long for a tar archive`);
    prefix = new TextEncoder().encode(path.slice(0, cut));
    name = new TextEncoder().encode(path.slice(cut + 1));
  }
  header.set(name, 0);
  writeOctal(header, 100, 8, 0o644);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, mtime);
  header[156] = '0'.charCodeAt(0);
  header.set(new TextEncoder().encode('ustar\u000000'), 257);
  header.set(prefix, 345);
  writeOctal(header, 148, 8, checksumOf(header));
  return header;
}

/** Sum of the header bytes with the checksum field counted as spaces. */
function checksumOf(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  return sum;
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  const digits = value.toString(8).padStart(length - 1, '0');
  header.set(new TextEncoder().encode(digits), offset);
  header[offset + length - 1] = 0;
}

function octal(header: Uint8Array, offset: number, length: number): number {
  const field = text(header, offset, length).trim();
  return field === '' ? 0 : /^[0-7]+$/.test(field) ? Number.parseInt(field, 8) : Number.NaN;
}

function text(header: Uint8Array, offset: number, length: number): string {
  const field = header.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}
