import { sha256Hex } from '@cvf/core';
import { AuditError } from './audit-error.js';

const utf8 = new TextEncoder();
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The unsalted digest of a SOP Instance UID, SHA-256("SOPInstanceUID" NUL uid) as hex (surrounding
 * spaces and NUL padding ignored); null for a missing or empty UID. The viewer computes it in the
 * browser and sends only this, so the UID itself never leaves the page; anyone who can link it to
 * an image already holds that image's UID.
 */
export async function instanceDigest(uid: string | null | undefined): Promise<string | null> {
  const value = (uid ?? '').replace(/^[\0 ]+|[\0 ]+$/g, '');
  return value === '' ? null : sha256Hex(utf8.encode(`SOPInstanceUID\0${value}`));
}

/**
 * Salted hashes of SOP Instance UIDs: HMAC-SHA-256(salt, instanceDigest(uid)) as hex. The same
 * instance gets the same hash in every record of one trail, whichever source recorded it (a
 * reviewer holding the UID and the salt can find its decisions), while the log alone neither names
 * the instance nor lets anyone test a guessed UID against it. The salt is kept apart from the log.
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

  /** The salted hash of `uid`; null for a missing or empty UID. */
  async hash(uid: string | null | undefined): Promise<string | null> {
    return this.hashDigest(await instanceDigest(uid));
  }

  /** The salted hash of an instance digest (see instanceDigest), as the viewer sends it; null stays null. */
  async hashDigest(digest: string | null): Promise<string | null> {
    if (digest === null) return null;
    if (!HEX64.test(digest)) throw new AuditError('AUDIT_INVALID', `instance digest "${digest.slice(0, 80)}" is not 64 lower-case hex digits (SHA-256 of "SOPInstanceUID\\0" and the UID)`);
    const bytes = Uint8Array.from(digest.match(/../g)!, (h) => Number.parseInt(h, 16));
    const mac = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', this.#key, bytes));
    return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
  }
}
