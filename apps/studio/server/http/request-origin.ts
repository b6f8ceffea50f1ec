import type { IncomingMessage } from 'node:http';
import { StudioError } from '../errors.js';
import { isLoopbackHost } from './loopback.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The Host header without its port. */
function hostName(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
}

/**
 * On a loopback-only server, a Host header naming another machine means DNS rebinding (a
 * page on evil.example whose name now resolves to 127.0.0.1): refused before anything is read.
 */
export function checkHost(req: IncomingMessage, loopbackOnly: boolean): void {
  const host = req.headers.host ?? '';
  if (loopbackOnly && !isLoopbackHost(hostName(host))) {
    throw new StudioError('HOST_FORBIDDEN', `Host "${host.slice(0, 100)}" is not this loopback server; open it as http://127.0.0.1 or http://localhost`);
  }
}

/**
 * Mutating calls (POST, PUT, DELETE) must come from the studio's own pages: their Origin header
 * equals the origin the browser used to reach the server (its Host). A cross-site form or fetch
 * carries its own origin, and is refused (ORIGIN_FORBIDDEN).
 */
export function checkOrigin(req: IncomingMessage): void {
  if (SAFE_METHODS.has(req.method ?? 'GET')) return;
  const origin = req.headers.origin;
  const expected = `http://${req.headers.host ?? ''}`;
  if (origin !== expected) {
    throw new StudioError('ORIGIN_FORBIDDEN', `${req.method} needs the Origin header ${expected}; got ${origin === undefined ? 'none' : `"${origin.slice(0, 100)}"`}`);
  }
}
