import { CvfError, StreamError } from '@cvf/core';
import { DEFAULT_MAX_FILE_BYTES, readRegularFile } from '@cvf/core/node';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * One message of a stream as `cvf consume` reads it, whatever the bus: where it sits in its stream
 * (`sourceId`: the Redis entry id, or the JetStream stream sequence — what acknowledgement and
 * de-duplication key on) and its named fields (Redis entry fields; JetStream headers, with the
 * message body as `image`). `null` fields: the entry left the stream before it was read.
 * `deliveries`: how many times the bus has handed it out, this time included, where it says.
 */
export interface StreamMessage {
  readonly sourceId: string;
  readonly fields: ReadonlyMap<string, Uint8Array> | null;
  readonly deliveries?: number;
}

/** The image bytes a message carries or references, with the content type it was given (else sniffed). */
export interface PayloadBytes {
  readonly bytes: Uint8Array;
  readonly mediaType?: string;
}

/** What a message asks for: its `id` and how to get its image — or, for a bad message, why not. */
export type ConsumePayload =
  | { readonly sourceId: string; readonly id: string; readonly load: () => Promise<PayloadBytes> }
  | { readonly sourceId: string; readonly id?: string; readonly error: CvfError };

/**
 * What a message may ask: file references only under `fileRoot` (none without it), http(s) ones
 * answered within `fetchTimeoutMs`; and how often it may be tried — a message delivered more than
 * `maxDeliveries` times has likely killed the consumers it went to (a crash, memory), so it is
 * answered with an error instead of tried again.
 */
export interface PayloadPolicy {
  readonly fileRoot?: string;
  readonly fetchTimeoutMs: number;
  readonly maxDeliveries: number;
}

/** The payload fields: `id`, then `image` (+ `content-type`) or `ref`. */
export const PAYLOAD_FIELDS = { id: 'id', image: 'image', contentType: 'content-type', ref: 'ref' } as const;
const MAX_ID_LENGTH = 256;

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));

/**
 * Reads a message's fields: `id` (required, ≤ 256 characters; it names the result), and exactly
 * one of `image` (PNG, JPEG, WebP or DICOM Part 10 bytes, typed by `content-type` or sniffed) and
 * `ref` (an absolute file path or file:// URL under the policy's file root, or an http(s) URL to
 * GET). Anything else is this message's StreamError, never a thrown one: it becomes an error
 * result, so a bad message is answered, not lost, and never stops the consumer.
 */
export function parsePayload(message: StreamMessage, policy: PayloadPolicy): ConsumePayload {
  const { sourceId, fields } = message;
  if (fields === null) return { sourceId, error: new StreamError('STREAM_ENTRY_DELETED', `entry ${sourceId} was deleted from the stream before it was processed`) };
  if (message.deliveries !== undefined && message.deliveries > policy.maxDeliveries) {
    const id = text(fields.get(PAYLOAD_FIELDS.id));
    const why = `message ${sourceId} was delivered ${message.deliveries} times, more than --max-deliveries ${policy.maxDeliveries}: the consumers it went to did not finish it (killed, or out of memory); it is answered without being tried again`;
    return { sourceId, ...(id !== undefined && id !== '' && { id }), error: new StreamError('STREAM_DELIVERY_LIMIT', why) };
  }
  const id = text(fields.get(PAYLOAD_FIELDS.id));
  const bad = (why: string) => ({ sourceId, ...(id !== undefined && id !== '' && { id }), error: new StreamError('STREAM_PAYLOAD_INVALID', `message ${sourceId}: ${why}`) });
  if (id === undefined || id === '') return bad(`no "${PAYLOAD_FIELDS.id}" field; each message names its input with one (fields: ${[...fields.keys()].join(', ') || 'none'})`);
  if (id.length > MAX_ID_LENGTH) return bad(`its "${PAYLOAD_FIELDS.id}" has ${id.length} characters, more than the ${MAX_ID_LENGTH} allowed`);
  const image = fields.get(PAYLOAD_FIELDS.image);
  const ref = text(fields.get(PAYLOAD_FIELDS.ref));
  const contentType = text(fields.get(PAYLOAD_FIELDS.contentType));
  if (image !== undefined && image.length > 0 && ref !== undefined) return bad(`it has both "${PAYLOAD_FIELDS.image}" and "${PAYLOAD_FIELDS.ref}"; give one`);
  if (image !== undefined && image.length > 0) return { sourceId, id, load: async () => ({ bytes: image, ...(contentType && { mediaType: contentType }) }) };
  if (ref === undefined || ref === '') return bad(`neither "${PAYLOAD_FIELDS.image}" (image or DICOM bytes) nor "${PAYLOAD_FIELDS.ref}" (a file path or http(s) URL)`);
  const reference = parseReference(ref, policy);
  if (reference instanceof StreamError) return { sourceId, id, error: new StreamError(reference.code, `message ${sourceId}: ${reference.message}`) };
  return { sourceId, id, load: () => loadReference(reference, policy, contentType) };
}

type Reference = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'http'; readonly url: URL };

function parseReference(ref: string, policy: PayloadPolicy): Reference | StreamError {
  if (/^https?:\/\//i.test(ref)) {
    try {
      return { kind: 'http', url: new URL(ref) };
    } catch {
      return new StreamError('STREAM_PAYLOAD_INVALID', `reference "${ref}" is not a valid URL`);
    }
  }
  const path = ref.startsWith('file://') ? fileURLToPath(ref) : ref;
  if (!isAbsolute(path)) return new StreamError('STREAM_PAYLOAD_INVALID', `reference "${ref}" is neither an absolute file path, a file:// URL nor an http(s) URL`);
  if (policy.fileRoot === undefined) return new StreamError('STREAM_PAYLOAD_INVALID', `reference "${ref}" is a file, and file references are read only under --ref-root, which was not given`);
  const inside = relative(resolve(policy.fileRoot), resolve(path));
  if (inside.startsWith('..') || isAbsolute(inside)) return new StreamError('STREAM_PAYLOAD_INVALID', `reference "${ref}" is outside --ref-root ${policy.fileRoot}`);
  return { kind: 'file', path: resolve(path) };
}

async function loadReference(reference: Reference, policy: PayloadPolicy, contentType: string | undefined): Promise<PayloadBytes> {
  if (reference.kind === 'file') {
    try {
      return { bytes: await readRegularFile(reference.path, { what: 'referenced image' }), ...(contentType && { mediaType: contentType }) };
    } catch (error) {
      if (error instanceof CvfError) throw new StreamError('STREAM_REFERENCE_FAILED', error.message, { cause: error });
      throw error;
    }
  }
  const url = reference.url.href;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(policy.fetchTimeoutMs), redirect: 'follow' });
  } catch (error) {
    const why = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${policy.fetchTimeoutMs} ms (--fetch-timeout)` : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new StreamError('STREAM_REFERENCE_FAILED', `cannot GET ${url}: ${why}`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new StreamError('STREAM_REFERENCE_FAILED', `GET ${url} answered ${response.status} ${response.statusText}`);
  }
  const bytes = await boundedBody(response, url);
  const mediaType = contentType ?? response.headers.get('content-type')?.split(';')[0]?.trim();
  // A server's generic type says nothing about the bytes: sniff them instead.
  return { bytes, ...(mediaType && mediaType !== 'application/octet-stream' && { mediaType }) };
}

/** A response's body, refused past the size a file may have (announced or not): a URL cannot fill the memory. */
async function boundedBody(response: Response, url: string): Promise<Uint8Array> {
  const tooLarge = (size: number) => new StreamError('STREAM_REFERENCE_FAILED', `GET ${url} is ${size} bytes or more, more than the ${DEFAULT_MAX_FILE_BYTES} allowed`);
  const announced = Number(response.headers.get('content-length') ?? 0);
  if (announced > DEFAULT_MAX_FILE_BYTES) {
    await response.body?.cancel();
    throw tooLarge(announced);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (let part = await reader?.read(); part && !part.done; part = await reader!.read()) {
    size += part.value.length;
    if (size > DEFAULT_MAX_FILE_BYTES) {
      await reader!.cancel();
      throw tooLarge(size);
    }
    chunks.push(part.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
