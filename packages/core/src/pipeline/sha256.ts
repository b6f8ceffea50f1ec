/** SHA-256 as lower-case hex, with WebCrypto: the same in Node (≥ 19, globalThis.crypto) and browsers. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
