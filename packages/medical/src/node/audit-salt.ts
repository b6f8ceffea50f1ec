import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AuditError } from '../audit/audit-error.js';

/**
 * The salt of the SOP Instance UID hashes, from its key file: 32 random bytes as hex, created
 * owner-only (0600) on first use. The file is made whole under a temporary name and linked into
 * place, so a process starting at the same moment reads either no file or the whole key, and two
 * that race agree on the one that was linked first.
 */
export async function readOrCreateSalt(path: string): Promise<Uint8Array> {
  const read = async () => {
    const hex = (await readFile(path, 'utf8')).trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new AuditError('AUDIT_INVALID', `the audit salt file ${path} does not hold 64 hex digits; restore it from a backup (a new salt makes earlier instance hashes unmatchable)`);
    return Uint8Array.from(Buffer.from(hex, 'hex'));
  };
  try {
    return await read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  return read();
}
