/** SHA-256 as lower-case hex, with WebCrypto: the same in Node (≥ 19, globalThis.crypto) and browsers. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // A copy when the view is not over a plain ArrayBuffer (SharedArrayBuffer is not a BufferSource).
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
