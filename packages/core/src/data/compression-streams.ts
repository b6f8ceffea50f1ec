/**
 * gzip / zlib through the Compression Streams API, which browsers and Node (≥ 18) both provide,
 * so core needs no compression library.
 */
async function pipeThrough(bytes: Uint8Array, transform: GenericTransformStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(transform as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export type CompressionFormat = 'gzip' | 'deflate';

export function decompress(bytes: Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
  return pipeThrough(bytes, new DecompressionStream(format));
}

export function compress(bytes: Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
  return pipeThrough(bytes, new CompressionStream(format));
}

/** Whether bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
