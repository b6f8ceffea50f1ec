import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/**
 * Checks `Authorization: Bearer <key>` against the configured keys. Keys are compared as SHA-256
 * digests with timingSafeEqual, so neither a key's content nor its length leaks through timing;
 * every key is compared, matching or not.
 */
export class BearerAuth {
  readonly #digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.#digests = keys.map(digest);
  }

  get enabled(): boolean {
    return this.#digests.length > 0;
  }

  /** Throws a 401 HttpError unless the request carries one of the keys. */
  check(request: IncomingMessage): void {
    if (!this.enabled) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const given = digest(match?.[1] ?? '');
    let ok = false;
    for (const key of this.#digests) ok = timingSafeEqual(key, given) || ok;
    if (!ok || !match) {
      throw new HttpError(401, 'UNAUTHORIZED', match ? 'the API key is not valid' : 'missing "Authorization: Bearer <api key>" header', { headers: { 'www-authenticate': 'Bearer' } });
    }
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
