import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/**
 * The request body, refused with 413 as soon as it passes `maxBytes` (a declared Content-Length
 * over the limit is refused before a byte is read).
 */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw bodyTooLarge(declared, maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw bodyTooLarge(size, maxBytes);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

export function bodyTooLarge(size: number, maxBytes: number): HttpError {
  return new HttpError(413, 'BODY_TOO_LARGE', `request body of ${size} bytes or more exceeds the limit of ${maxBytes} bytes (--max-body)`);
}
