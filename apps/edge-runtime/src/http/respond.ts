import type { ServerResponse } from 'node:http';
import { CvfError } from '@cvf/core';
import { HttpError, httpStatusOf } from './http-error.js';

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

/**
 * An error as `{"error":{"code","message"}}` (the file routes and the server's own routes) or, on
 * the Open Inference Protocol routes, `{"error":"message"}` as the protocol specifies. A 500 says
 * only that it is internal: its details go to the log, not to the client.
 */
export function sendError(response: ServerResponse, error: unknown, shape: 'coded' | 'v2'): number {
  const status = httpStatusOf(error);
  const code = error instanceof CvfError && status < 500 ? error.code : status === 503 && error instanceof HttpError ? error.code : 'INTERNAL';
  const message = status < 500 || error instanceof HttpError ? (error as Error).message : 'internal error; see the server log';
  const headers = error instanceof HttpError ? { ...error.headers } : {};
  if (response.headersSent) {
    response.destroy();
    return status;
  }
  sendJson(response, status, shape === 'v2' ? { error: message } : { error: { code, message } }, headers);
  return status;
}
