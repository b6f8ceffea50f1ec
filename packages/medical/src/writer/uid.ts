/**
 * UIDs of the form 2.25.<UUID as a decimal integer> (PS3.5 B.2): no registered root needed, at most
 * 44 characters. The 16 bytes are stamped as an RFC 9562 UUID (version and variant bits).
 */
export function uidFromUuidBytes(bytes: Uint8Array, version: 4 | 8): string {
  if (bytes.length < 16) throw new RangeError(`a UUID needs 16 bytes, got ${bytes.length}`);
  const b = bytes.slice(0, 16);
  b[6] = (b[6]! & 0x0f) | (version << 4);
  b[8] = (b[8]! & 0x3f) | 0x80;
  let value = 0n;
  for (const byte of b) value = (value << 8n) | BigInt(byte);
  return `2.25.${value.toString(10)}`;
}

/** A fresh random UID (UUID version 4). */
export function randomUid(): string {
  return uidFromUuidBytes(globalThis.crypto.getRandomValues(new Uint8Array(16)), 4);
}

/** A UID: digits and dots, no leading zeros in a component, at most 64 characters (PS3.5 9.1). */
export function isValidUid(uid: string): boolean {
  return uid.length <= 64 && /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(uid);
}
