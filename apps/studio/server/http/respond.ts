import { CvfError } from '@cvf/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { StudioError, httpStatusOf } from '../errors.js';

/** JSON request bodies are small (a config is at most 1 MiB). */
const MAX_JSON_BODY_BYTES = 2 << 20;

/** Sends `value` as JSON, after checking it against the response schema of the contract. */
export function sendJson<S extends z.ZodType>(res: ServerResponse, schema: S, value: z.input<S>, status = 200): void {
  const body = JSON.stringify(schema.parse(value));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(body);
}

/** Sends an error as `{"error":{"code","message"}}`; unexpected errors say INTERNAL and are logged, never shown with a stack. */
export function sendError(res: ServerResponse, error: unknown, log: (message: string) => void): void {
  const status = httpStatusOf(error);
  const body =
    error instanceof CvfError
      ? { error: { code: error.code, message: error.message } }
      : { error: { code: 'INTERNAL', message: 'the studio server failed on this request; its log says why' } };
  if (status >= 500) log(`${status} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/** Reads a JSON body (application/json, bounded) and parses it with the request schema: REQUEST_INVALID names what is wrong. */
export async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.output<S>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new StudioError('UNSUPPORTED_MEDIA_TYPE', `the request body must be application/json, not "${type || 'none'}"`);
  const text = await readBody(req, MAX_JSON_BODY_BYTES);
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (cause) {
    throw new StudioError('REQUEST_INVALID', `the request body is not JSON: ${(cause as Error).message}`);
  }
  return parseInput(schema, payload, 'request body');
}

/** Parses query parameters or a body with a schema; REQUEST_INVALID lists each problem with its field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StudioError('REQUEST_INVALID', `${what}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
  return parsed.data;
}

/** The body as UTF-8 text, refused past `maxBytes` (BODY_TOO_LARGE) without buffering the rest. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) throw new StudioError('BODY_TOO_LARGE', `the request body is ${declared} bytes; at most ${maxBytes} are accepted`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new StudioError('BODY_TOO_LARGE', `the request body is over ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The query string as a plain object (first value of each key). */
export function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of url.searchParams) if (!(key in out)) out[key] = value;
  return out;
}
