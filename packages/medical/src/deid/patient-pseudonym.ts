import { DeidError } from '@cvf/core';

const utf8 = new TextEncoder();
/** Pseudonyms read "ANON-" and 20 hex digits (80 bits of the HMAC): 25 characters, inside Patient ID's LO (64). */
const PREFIX = 'ANON-';
const DIGEST_BYTES = 10;

/**
 * Replaces Patient IDs with keyed pseudonyms: HMAC-SHA-256(secret, "PatientID" NUL id), so one
 * patient gets the same pseudonym in every file and every run with the same secret (patient-level
 * splits keep working after de-identification), and nobody without the secret can link a
 * pseudonym back to the ID or compute it from a known ID. The profile empties Patient ID (Z): a
 * value that identifies no one within a dataset is the dummy PS3.15 permits in its place.
 */
export class PatientPseudonyms {
  readonly #key: CryptoKey;
  readonly #mapping = new Map<string, string>();

  private constructor(key: CryptoKey) {
    this.#key = key;
  }

  /** Pseudonyms keyed by `secret` (same secret, same pseudonyms), or by 32 random bytes when none is given. */
  static async create(secret?: string | Uint8Array): Promise<PatientPseudonyms> {
    const bytes = secret === undefined ? globalThis.crypto.getRandomValues(new Uint8Array(32)) : typeof secret === 'string' ? utf8.encode(secret) : secret;
    if (bytes.length === 0) throw new DeidError('DEID_INVALID_OPTIONS', 'the pseudonym secret is empty; give a non-empty secret or none for a random one');
    const key = await globalThis.crypto.subtle.importKey('raw', new Uint8Array(bytes), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new PatientPseudonyms(key);
  }

  /** The pseudonym of `patientId` (surrounding spaces and NUL padding ignored); an empty ID stays empty. */
  async pseudonym(patientId: string): Promise<string> {
    const original = patientId.replace(/^[\0 ]+|[\0 ]+$/g, '');
    if (original === '') return '';
    let mapped = this.#mapping.get(original);
    if (mapped === undefined) {
      const digest = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', this.#key, utf8.encode(`PatientID\0${original}`)));
      mapped = PREFIX + Array.from(digest.subarray(0, DIGEST_BYTES), (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
      this.#mapping.set(original, mapped);
    }
    return mapped;
  }

  /** Original Patient ID → pseudonym for every ID replaced so far (for a re-identification list kept apart from the data). */
  get mapping(): ReadonlyMap<string, string> {
    return this.#mapping;
  }
}
