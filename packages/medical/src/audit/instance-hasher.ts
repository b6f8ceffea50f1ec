import { AuditError } from './audit-error.js';

const utf8 = new TextEncoder();

/**
 * Salted hashes of SOP Instance UIDs: HMAC-SHA-256(salt, "SOPInstanceUID" NUL uid) as hex. The
 * same instance gets the same hash in every record of one trail (a reviewer holding the UID and
 * the salt can find its decisions), while the log alone neither names the instance nor lets
 * anyone test a guessed UID against it. The salt is kept apart from the log.
 */
export class InstanceHasher {
  readonly #key: CryptoKey;

  private constructor(key: CryptoKey) {
    this.#key = key;
  }

  static async create(salt: Uint8Array): Promise<InstanceHasher> {
    if (salt.length < 16) throw new AuditError('AUDIT_INVALID', `the audit salt has ${salt.length} bytes; it needs at least 16`);
    const key = await globalThis.crypto.subtle.importKey('raw', new Uint8Array(salt), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new InstanceHasher(key);
  }

  /** The salted hash of `uid` (surrounding spaces and NUL padding ignored); null for a missing or empty UID. */
  async hash(uid: string | null | undefined): Promise<string | null> {
    const value = (uid ?? '').replace(/^[\0 ]+|[\0 ]+$/g, '');
    if (value === '') return null;
    const digest = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', this.#key, utf8.encode(`SOPInstanceUID\0${value}`)));
    return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  }
}
