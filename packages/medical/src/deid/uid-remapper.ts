import { DeidError } from '@cvf/core';
import { uidFromUuidBytes } from '../writer/uid.js';

const utf8 = new TextEncoder();

/**
 * Replaces UIDs with new ones of the form 2.25.<UUID> (PS3.5 B.2), the same new UID for the same
 * original every time: the UUID is HMAC-SHA-256(secret, original UID), stamped as an RFC 9562
 * version 8 (custom) UUID. One remapper (one secret) per run keeps a study's instances, series and
 * references consistent across its files; without the secret the new UIDs cannot be traced back.
 */
export class UidRemapper {
  readonly #key: CryptoKey;
  readonly #mapping = new Map<string, string>();

  private constructor(key: CryptoKey) {
    this.#key = key;
  }

  /** A remapper keyed by `secret` (same secret, same mapping), or by 32 random bytes when none is given. */
  static async create(secret?: string | Uint8Array): Promise<UidRemapper> {
    const bytes = secret === undefined ? globalThis.crypto.getRandomValues(new Uint8Array(32)) : typeof secret === 'string' ? utf8.encode(secret) : secret;
    if (bytes.length === 0) throw new DeidError('DEID_INVALID_OPTIONS', 'the UID remapping secret is empty; give a non-empty secret or none for a random one');
    const key = await globalThis.crypto.subtle.importKey('raw', new Uint8Array(bytes), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new UidRemapper(key);
  }

  /** The new UID for `uid` (surrounding spaces and NUL padding ignored); an empty UID stays empty. */
  async remap(uid: string): Promise<string> {
    const original = uid.replace(/^[\0 ]+|[\0 ]+$/g, '');
    if (original === '') return '';
    let mapped = this.#mapping.get(original);
    if (mapped === undefined) {
      const digest = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', this.#key, utf8.encode(original)));
      mapped = uidFromUuidBytes(digest, 8);
      this.#mapping.set(original, mapped);
    }
    return mapped;
  }

  /** Original → new UID for every UID remapped so far (for an audit trail kept apart from the data). */
  get mapping(): ReadonlyMap<string, string> {
    return this.#mapping;
  }
}
