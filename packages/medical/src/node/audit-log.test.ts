import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, statSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit/audit-record.js';
import { AuditLog, auditPaths, verifyAuditLog } from './audit-log.js';

const entry = async (log: AuditLog, i: number): Promise<AuditEntry> => ({
  source: 'cli',
  model: { name: 'chest-ct', version: 2, configHash: 'f00d' },
  decision: { outcome: i % 3 === 0 ? 'refer' : 'positive', class: 'nodule', probability: 0.5 + i / 100, thresholds: { nodule: 0.37 } },
  instance: await log.hashInstance(`1.2.826.0.1.3680043.8.498.${i}`),
});

const store = () => mkdtempSync(join(tmpdir(), 'cvf-audit-'));

/** Runs one audit-writer child process (tsx as a loader); resolves with its exit code. */
function writer(root: string, count: number, tag: string): Promise<number | null> {
  const script = fileURLToPath(new URL('./testing/audit-writer.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', script, root, String(count), tag], { stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve) => child.on('close', resolve));
}

describe('the audit log of a store', () => {
  it('appends chained records that verify, with the salt in its own owner-only file and never in the log', async () => {
    const root = store();
    const log = await AuditLog.open(root);
    // Blocking appends (a server's lone request) sync on this thread; the others through libuv's pool.
    for (let i = 0; i < 5; i++) await log.append([await entry(log, i)], { blocking: i % 2 === 0 });
    await log.append([await entry(log, 5), await entry(log, 6)]);
    const paths = auditPaths(root);
    const text = readFileSync(paths.log, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(7);
    expect(await verifyAuditLog(root)).toMatchObject({ records: 7, broken: null, head: { sequence: 7 } });
    const salt = readFileSync(paths.salt, 'utf8').trim();
    expect(salt).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(paths.salt).mode & 0o777).toBe(0o600);
    expect(text).not.toContain(salt);
    expect(text).not.toContain('1.2.826.0.1.3680043');
    // A second opening (another process, a restart) keeps the salt: the same instance, the same hash.
    const reopened = await AuditLog.open(root);
    expect(await reopened.hashInstance('1.2.826.0.1.3680043.8.498.0')).toBe(JSON.parse(text.split('\n')[0]!).instance);
    expect(existsSync(paths.lock)).toBe(false);
  });

  it('gives each of many appends made at once its own records, in call order, on one valid chain', async () => {
    const root = store();
    const log = await AuditLog.open(root);
    const entries = await Promise.all(Array.from({ length: 12 }, (_, i) => Promise.all(Array.from({ length: 1 + (i % 3) }, (_, j) => entry(log, i * 3 + j)))));
    const invalid = { ...entries[0]![0]!, decision: { ...entries[0]![0]!.decision, probability: 2 } };
    const [calls, refused] = await Promise.all([Promise.all(entries.map((e, i) => log.append(e, { blocking: i === 0 }))), log.append([invalid]).catch((error: unknown) => error)]);
    // The invalid entry fails its own call only, not the appends written with it.
    expect(refused).toMatchObject({ code: 'AUDIT_INVALID' });
    let sequence = 0;
    calls.forEach((records, i) => {
      expect(records.map((r) => r.decision.probability)).toEqual(entries[i]!.map((e) => e.decision.probability));
      for (const record of records) expect(record.sequence).toBe(++sequence);
    });
    expect(await verifyAuditLog(root)).toMatchObject({ records: sequence, broken: null });
  });

  it('chains onto what another writer appended between two of its own appends', async () => {
    const root = store();
    const [first, second] = [await AuditLog.open(root), await AuditLog.open(root)];
    await first.append([await entry(first, 0)]);
    await second.append([await entry(second, 1)]);
    // The first writer's own last append is no longer the chain's head.
    const [record] = await first.append([await entry(first, 2)]);
    expect(record!.sequence).toBe(3);
    expect(await verifyAuditLog(root)).toMatchObject({ records: 3, broken: null, head: { sequence: 3 } });
  });

  it('chains onto a last record longer than the first read back (a model with many classes)', async () => {
    const root = store();
    const log = await AuditLog.open(root);
    const thresholds = Object.fromEntries(Array.from({ length: 400 }, (_, k) => [`finding-${k}`, k / 400]));
    const wide = { ...(await entry(log, 1)), decision: { outcome: 'class', class: 'finding-7', probability: 0.7, thresholds } };
    await log.append([await entry(log, 0), wide]);
    await log.append([wide]);
    await log.append([await entry(log, 2)]);
    const lines = readFileSync(auditPaths(root).log, 'utf8').trim().split('\n');
    expect(lines[1]!.length).toBeGreaterThan(2 * 4096);
    expect(await verifyAuditLog(root)).toMatchObject({ records: 4, broken: null });
  });

  it('appends to the file the path names, not to one moved away while the log was open', async () => {
    const root = store();
    const log = await AuditLog.open(root);
    await log.append([await entry(log, 0), await entry(log, 1)]);
    const { log: path } = auditPaths(root);
    const archived = `${path}.archived`;
    renameSync(path, archived);
    const archivedText = readFileSync(archived, 'utf8');
    const [record] = await log.append([await entry(log, 2)]);
    // The kept descriptor still points at the archived file: writing there would change an archive.
    expect(readFileSync(archived, 'utf8')).toBe(archivedText);
    expect(record!.sequence).toBe(1);
    expect(await verifyAuditLog(root)).toMatchObject({ records: 1, broken: null });
    log.close();
    await log.append([await entry(log, 3)]);
    expect(await verifyAuditLog(root)).toMatchObject({ records: 2, broken: null });
  });

  it('finds one byte edited in the middle of the log and names that record', async () => {
    const root = store();
    const log = await AuditLog.open(root);
    await log.append(await Promise.all(Array.from({ length: 41 }, (_, i) => entry(log, i))));
    const { log: path } = auditPaths(root);
    const bytes = readFileSync(path);
    // The middle byte of the file, whatever it is, flipped to another printable character.
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle] === 0x30 ? 0x31 : 0x30;
    writeFileSync(path, bytes);
    const lineOfMiddle = bytes.subarray(0, middle).toString('utf8').split('\n').length;
    const result = await verifyAuditLog(root);
    expect(result.broken).not.toBeNull();
    expect(result.broken!.line).toBe(lineOfMiddle);
    expect(result.broken!.sequence).toBe(lineOfMiddle);
    expect(result.records).toBe(lineOfMiddle - 1);
    // Nothing more is chained onto a tampered last record; an edit in the middle is found by verify alone.
    appendFileSync(path, '{"v":1}\n');
    await expect(log.append([await entry(log, 9)])).rejects.toMatchObject({ code: 'AUDIT_LOG_CORRUPT' });
  });

  it('keeps the chain valid when two processes append at once', async () => {
    const root = store();
    const codes = await Promise.all([writer(root, 40, 'alpha'), writer(root, 40, 'beta')]);
    expect(codes).toEqual([0, 0]);
    const result = await verifyAuditLog(root);
    expect(result).toMatchObject({ records: 80, broken: null });
    const classes = readFileSync(auditPaths(root).log, 'utf8').trim().split('\n').map((l) => JSON.parse(l).decision.class as string);
    expect(classes.filter((c) => c === 'alpha')).toHaveLength(40);
    expect(classes.filter((c) => c === 'beta')).toHaveLength(40);
  });

  it('breaks a lock left by a writer that died, and refuses to verify a store without a log', async () => {
    const root = store();
    const log = await AuditLog.open(root);
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.on('close', resolve));
    writeFileSync(auditPaths(root).lock, `${dead.pid}\n${(await import('node:os')).hostname()}\n`);
    await log.append([await entry(log, 1)]);
    expect((await verifyAuditLog(root)).records).toBe(1);
    await expect(verifyAuditLog(store())).rejects.toMatchObject({ code: 'AUDIT_LOG_NOT_FOUND' });
  });
});
