import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PatientPseudonyms } from '../deid/patient-pseudonym.js';
import { UidRemapper } from '../deid/uid-remapper.js';
import { readOrCreateDeidKey, writeReidentificationMap } from './deid-secret-files.js';

describe('the de-identification key file and re-identification map', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvf-deid-secrets-'));

  it('creates a missing key file owner-only with 32 random bytes as hex, then reads the same key back', async () => {
    const path = join(dir, 'nested', 'deid.key');
    const created = await readOrCreateDeidKey(path);
    expect(created).toMatchObject({ created: true, readableByOthers: false });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(new TextDecoder().decode(created.secret)).toMatch(/^[0-9a-f]{64}$/);
    const again = await readOrCreateDeidKey(path);
    expect(again).toMatchObject({ created: false, readableByOthers: false });
    expect(again.secret).toEqual(created.secret);
    const other = await readOrCreateDeidKey(join(dir, 'other.key'));
    expect(other.secret).not.toEqual(created.secret);
  });

  it('takes a passphrase written by the user (trailing newline ignored), says when others can read it, and refuses an empty one', async () => {
    const path = join(dir, 'passphrase.key');
    writeFileSync(path, 'correct horse battery staple\n');
    chmodSync(path, 0o644);
    const key = await readOrCreateDeidKey(path);
    expect(new TextDecoder().decode(key.secret)).toBe('correct horse battery staple');
    expect(key.readableByOthers).toBe(true);
    writeFileSync(join(dir, 'empty.key'), '\n');
    await expect(readOrCreateDeidKey(join(dir, 'empty.key'))).rejects.toMatchObject({
      code: 'DEID_INVALID_OPTIONS',
      message: `the key file "${join(dir, 'empty.key')}" is empty; delete it to have a new key made, or write a secret in it`,
    });
    await expect(readOrCreateDeidKey(dir)).rejects.toThrow('is not a regular file');
  });

  it('writes every UID and patient ID mapping, owner-only, quoting values that need it', async () => {
    const remapper = await UidRemapper.create('k');
    const pseudonyms = await PatientPseudonyms.create('k');
    const uid = await remapper.remap('1.2.3');
    const pseudonym = await pseudonyms.pseudonym('DOE, JOHN "JD"');
    const path = join(dir, 'map.csv');
    writeFileSync(path, 'old');
    chmodSync(path, 0o644);
    expect(await writeReidentificationMap(path, remapper, pseudonyms)).toEqual({ uids: 1, patientIds: 1 });
    expect(readFileSync(path, 'utf8')).toBe(`kind,original,deidentified\nuid,1.2.3,${uid}\npatientId,"DOE, JOHN ""JD""",${pseudonym}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
