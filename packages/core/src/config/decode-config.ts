import { ConfigError } from '../errors.js';

/**
 * Turns the bytes of a config file into text. A UTF-8 byte order mark is dropped silently (some
 * Windows editors write one; it carries no meaning); UTF-16 (with or without a BOM) and bytes
 * that are not UTF-8 are refused with a CONFIG_INVALID issue at 1:1 that says how to fix the file.
 */
export function decodeConfigBytes(bytes: Uint8Array, file: string): string {
  if (isUtf16(bytes)) throw encodingError(file, 'the file is UTF-16; save it as UTF-8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw encodingError(file, 'the file is not valid UTF-8; save it as UTF-8');
  }
}

/** A UTF-16 BOM, or YAML's first character (always ASCII) stored with a zero byte beside it. */
function isUtf16(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return false;
  const [a, b] = [bytes[0]!, bytes[1]!];
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return true;
  return (a === 0) !== (b === 0);
}

function encodingError(file: string, message: string): ConfigError {
  return new ConfigError([{ file, line: 1, column: 1, path: '', message }]);
}
