import { describe, expect, it } from 'vitest';
import { chainEntries, EMPTY_CHAIN, GENESIS_HASH, headOf, verifyChain } from './audit-chain.js';
import type { AuditEntry } from './audit-record.js';
import { canonicalJson } from './canonical-json.js';
import { exportAuditRecords } from './audit-export.js';
import { instanceDigest, InstanceHasher } from './instance-hasher.js';

const entry = (label: string, probability: number, instance: string | null = null): AuditEntry => ({
  source: 'edge',
  model: { name: 'chest-ct', version: 3, configHash: 'abc123' },
  decision: { outcome: 'positive', class: label, probability, thresholds: { nodule: 0.42, normal: 0.5 } },
  instance,
});

async function chainOf(n: number, time = new Date('2026-03-01T10:00:00Z')): Promise<string> {
  return (await chainEntries(EMPTY_CHAIN, Array.from({ length: n }, (_, i) => entry(i % 2 ? 'nodule' : 'normal', (i + 1) / (n + 1))), time)).text;
}

describe('the audit chain', () => {
  it('links each record to the one before, from the genesis hash, with sequences 1, 2, 3', async () => {
    const { records, head } = await chainEntries(EMPTY_CHAIN, [entry('a', 0.9), entry('b', 0.8), entry('c', 0.7)], new Date('2026-03-01T10:00:00Z'));
    expect(records.map((r) => r.sequence)).toEqual([1, 2, 3]);
    expect(records[0]!.prev).toBe(GENESIS_HASH);
    expect(records[1]!.prev).toBe(records[0]!.hash);
    expect(records[2]!.prev).toBe(records[1]!.hash);
    expect(head).toEqual({ sequence: 3, hash: records[2]!.hash });
    // A later append continues from the head that the last line gives back.
    const text = records.map((r) => canonicalJson(r)).join('\n');
    expect(await headOf(text.split('\n').at(-1), 'log')).toEqual(head);
  });

  it('verifies an intact log and finds its head', async () => {
    const text = await chainOf(20);
    const result = await verifyChain(text);
    expect(result.broken).toBeNull();
    expect(result.records).toBe(20);
    expect(result.head.sequence).toBe(20);
  });

  it('names the record whose content no longer matches its hash', async () => {
    const text = await chainOf(20);
    const lines = text.split('\n');
    // probability of record 11 changed by one digit, still valid canonical JSON.
    lines[10] = lines[10]!.replace(/"probability":0\.(\d)/, (_m, d: string) => `"probability":0.${(Number(d) + 1) % 10}`);
    const result = await verifyChain(lines.join('\n'));
    expect(result.broken).toMatchObject({ line: 11, sequence: 11, reason: expect.stringContaining('does not match its hash') });
    expect(result.records).toBe(10);
  });

  it('names a removed record by the gap in the sequence', async () => {
    const lines = (await chainOf(6)).split('\n');
    lines.splice(3, 1);
    expect((await verifyChain(lines.join('\n'))).broken).toMatchObject({ line: 4, sequence: 4, reason: expect.stringContaining('sequence is 5, expected 4') });
  });

  it('names a record chained onto another history (prev not the hash before)', async () => {
    const first = await chainOf(3, new Date('2026-03-01T10:00:00Z'));
    const other = await chainOf(3, new Date('2026-03-02T10:00:00Z'));
    const mixed = [...first.split('\n').slice(0, 2), other.split('\n')[2]!, ''].join('\n');
    expect((await verifyChain(mixed)).broken).toMatchObject({ line: 3, reason: expect.stringContaining('prev') });
  });

  it('names a line rewritten out of canonical form, and a cut-off last line', async () => {
    const lines = (await chainOf(4)).split('\n');
    lines[1] = JSON.stringify(JSON.parse(lines[1]!), null, 1).replace(/\n/g, '');
    expect((await verifyChain(lines.join('\n'))).broken).toMatchObject({ line: 2, reason: expect.stringContaining('canonical') });
    const text = await chainOf(4);
    expect((await verifyChain(text.slice(0, -10))).broken).toMatchObject({ line: 4, reason: expect.stringContaining('no newline') });
  });

  it('refuses to chain onto a broken last record, and refuses entries that are not decisions', async () => {
    await expect(headOf('{"v":1}', 'log')).rejects.toMatchObject({ code: 'AUDIT_LOG_CORRUPT' });
    await expect(chainEntries(EMPTY_CHAIN, [{ ...entry('a', 1.5) }], new Date())).rejects.toMatchObject({ code: 'AUDIT_INVALID', message: expect.stringContaining('probability 1.5') });
    await expect(chainEntries(EMPTY_CHAIN, [{ ...entry('a', 0.5), source: 'fax' as never }], new Date())).rejects.toMatchObject({ message: expect.stringContaining('cli, edge, studio') });
    // A UID where the salted hash belongs is refused: the log never holds the UID itself.
    await expect(chainEntries(EMPTY_CHAIN, [entry('a', 0.5, '1.2.840.1234')], new Date())).rejects.toMatchObject({ message: expect.stringContaining('instance') });
  });

  it('exports the records of a time range, and only the intact ones', async () => {
    const a = await chainEntries(EMPTY_CHAIN, [entry('a', 0.1), entry('b', 0.2)], new Date('2026-03-01T10:00:00Z'));
    const b = await chainEntries(a.head, [entry('c', 0.3)], new Date('2026-03-02T10:00:00Z'));
    const c = await chainEntries(b.head, [entry('d', 0.4)], new Date('2026-03-03T10:00:00Z'));
    const text = a.text + b.text + c.text;
    const all = await exportAuditRecords(text);
    expect(all.records.map((r) => r.decision.class)).toEqual(['a', 'b', 'c', 'd']);
    const range = await exportAuditRecords(text, { from: '2026-03-02', to: '2026-03-03T10:00:00Z' });
    expect(range.records.map((r) => r.decision.class)).toEqual(['c']);
    const broken = await exportAuditRecords(text.replace('"class":"c"', '"class":"x"'));
    expect(broken.records.map((r) => r.decision.class)).toEqual(['a', 'b']);
    expect(broken.broken?.sequence).toBe(3);
    await expect(exportAuditRecords(text, { from: 'yesterday' })).rejects.toMatchObject({ code: 'AUDIT_INVALID', message: expect.stringContaining('"yesterday"') });
  });
});

describe('instance hashes', () => {
  it('are keyed by the salt: the same UID hashes alike under one salt and differently under another', async () => {
    const salt = new Uint8Array(32).fill(7);
    const one = await InstanceHasher.create(salt);
    const again = await InstanceHasher.create(salt);
    const other = await InstanceHasher.create(new Uint8Array(32).fill(8));
    const uid = '1.2.826.0.1.3680043.8.498.1';
    const hash = await one.hash(uid);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await again.hash(`${uid}\0`)).toBe(hash);
    expect(await other.hash(uid)).not.toBe(hash);
    expect(await one.hash('')).toBeNull();
    await expect(InstanceHasher.create(new Uint8Array(4))).rejects.toMatchObject({ code: 'AUDIT_INVALID' });
    // The viewer sends the UID's digest: hashed with the salt, it is the hash of the UID itself.
    const digest = await instanceDigest(uid);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await one.hashDigest(digest)).toBe(hash);
    expect(await one.hashDigest(null)).toBeNull();
    await expect(one.hashDigest(uid)).rejects.toMatchObject({ code: 'AUDIT_INVALID' });
  });
});
