import { DeidError } from '@cvf/core';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PatientPseudonyms } from '../deid/patient-pseudonym.js';
import type { UidRemapper } from '../deid/uid-remapper.js';

/** A key file holds at most this much: a passphrase or the 64 hex digits this module writes. */
const MAX_KEY_BYTES = 4096;

export interface DeidKey {
  readonly secret: Uint8Array;
  /** The file did not exist and was created with a new random key. */
  readonly created: boolean;
  /** The file can be read by others than its owner (mode wider than 0600). */
  readonly readableByOthers: boolean;
}

/**
 * The key of the UID mapping and the pseudonyms, from a file the user keeps: its content (trailing
 * whitespace removed) is the secret. A missing file is created, owner-only (0600), with 32 random
 * bytes as hex, so a later run with the same file gives the same UIDs and pseudonyms.
 */
export async function readOrCreateDeidKey(path: string): Promise<DeidKey> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new DeidError('DEID_INVALID_OPTIONS', `the key file "${path}" cannot be read: ${(error as Error).message}`);
    await mkdir(dirname(path), { recursive: true });
    const hex = randomBytes(32).toString('hex');
    // 'wx': never overwrite a key another process has just created.
    await writeFile(path, `${hex}\n`, { mode: 0o600, flag: 'wx' });
    return { secret: new TextEncoder().encode(hex), created: true, readableByOthers: false };
  }
  if (!info.isFile()) throw new DeidError('DEID_INVALID_OPTIONS', `the key file "${path}" is not a regular file`);
  if (info.size > MAX_KEY_BYTES) throw new DeidError('DEID_INVALID_OPTIONS', `the key file "${path}" holds ${info.size} bytes; a key is at most ${MAX_KEY_BYTES}`);
  const text = (await readFile(path, 'utf8')).replace(/\s+$/, '');
  if (text === '') throw new DeidError('DEID_INVALID_OPTIONS', `the key file "${path}" is empty; delete it to have a new key made, or write a secret in it`);
  return { secret: new TextEncoder().encode(text), created: false, readableByOthers: (info.mode & 0o077) !== 0 };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Writes the re-identification map — `kind,original,deidentified` rows, kind `uid` or `patientId` —
 * owner-only (0600): with it, and only with it, a finding in the de-identified data can be traced back.
 */
export async function writeReidentificationMap(path: string, remapper: UidRemapper, pseudonyms: PatientPseudonyms): Promise<{ uids: number; patientIds: number }> {
  const rows = ['kind,original,deidentified'];
  for (const [original, replacement] of remapper.mapping) rows.push(`uid,${csvField(original)},${replacement}`);
  for (const [original, pseudonym] of pseudonyms.mapping) rows.push(`patientId,${csvField(original)},${pseudonym}`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${rows.join('\n')}\n`, { mode: 0o600 });
  await chmod(path, 0o600); // an existing file keeps its mode through writeFile
  return { uids: remapper.mapping.size, patientIds: pseudonyms.mapping.size };
}
