import { sha256Hex } from '@cvf/core';
import { AuditError } from './audit-error.js';
import { AUDIT_RECORD_VERSION, checkEntry, recordProblem, type AuditEntry, type AuditRecord } from './audit-record.js';
import { canonicalJson } from './canonical-json.js';

/** The `prev` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

const utf8 = new TextEncoder();

/** SHA-256 of a text's UTF-8 bytes, as lower-case hex. */
export type TextDigest = (text: string) => string | Promise<string>;

/** WebCrypto's SHA-256: the same in browsers and Node. */
const webCryptoDigest: TextDigest = (text) => sha256Hex(utf8.encode(text));

/** The SHA-256 a record carries: of its canonical JSON without the `hash` field. */
export async function recordHash(record: Omit<AuditRecord, 'hash'> | AuditRecord, digest: TextDigest = webCryptoDigest): Promise<string> {
  const { hash: _hash, ...content } = record as AuditRecord;
  return digest(canonicalJson(content));
}

/** Where a chain ends: the next record links to it. */
export interface ChainHead {
  readonly sequence: number;
  readonly hash: string;
}

export const EMPTY_CHAIN: ChainHead = { sequence: 0, hash: GENESIS_HASH };

/**
 * The records of `entries` chained after `head`: each takes the next sequence, the previous
 * record's hash and its own, and is returned with its line (canonical JSON, newline-terminated).
 * `digest` computes the hashes (Node's writer passes a synchronous one: see AuditLog).
 */
export async function chainEntries(head: ChainHead, entries: readonly AuditEntry[], time: Date, digest?: TextDigest): Promise<{ records: AuditRecord[]; text: string; head: ChainHead }> {
  const records: AuditRecord[] = [];
  let previous = head;
  for (const entry of entries) {
    const { source, model, decision, instance } = checkEntry(entry);
    const content = { v: AUDIT_RECORD_VERSION, sequence: previous.sequence + 1, time: time.toISOString(), source, model, decision, instance, prev: previous.hash } as const;
    const record: AuditRecord = { ...content, hash: await recordHash(content, digest) };
    records.push(record);
    previous = { sequence: record.sequence, hash: record.hash };
  }
  return { records, text: records.map((r) => `${canonicalJson(r)}\n`).join(''), head: previous };
}

/** The head a log's last line leaves; AUDIT_LOG_CORRUPT when that line is not an intact record. */
export async function headOf(lastLine: string | undefined, where: string): Promise<ChainHead> {
  if (lastLine === undefined) return EMPTY_CHAIN;
  const checked = await checkLine(lastLine);
  if ('problem' in checked) throw new AuditError('AUDIT_LOG_CORRUPT', `the last record of ${where} is broken (${checked.problem}); nothing is appended to a broken chain — run cvf audit verify`);
  return { sequence: checked.record.sequence, hash: checked.record.hash };
}

/** One line read on its own: its record, or why it is not an intact one (its links aside). */
async function checkLine(line: string): Promise<{ record: AuditRecord } | { problem: string }> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'the line is not valid JSON' };
  }
  const problem = recordProblem(value);
  if (problem) return { problem };
  const record = value as AuditRecord;
  if (canonicalJson(record) !== line) return { problem: 'the line is not in the canonical form the trail writes (it was rewritten)' };
  const computed = await recordHash(record);
  if (computed !== record.hash) return { problem: `its content does not match its hash (stored ${record.hash.slice(0, 12)}…, computed ${computed.slice(0, 12)}…)` };
  return { record };
}

/** The first record that breaks the chain. */
export interface ChainBreak {
  /** 1-based line number in the log. */
  readonly line: number;
  /** The sequence the record should have had (the previous one + 1). */
  readonly sequence: number;
  readonly reason: string;
}

export interface ChainVerification {
  /** Intact records before the first break (all of them when there is none). */
  readonly records: number;
  readonly head: ChainHead;
  readonly broken: ChainBreak | null;
}

/**
 * Checks a whole log: every line an intact record in canonical form, its hash its content's,
 * sequences 1, 2, 3 … and each `prev` the hash of the record before. Stops at the first break and
 * says where and why. `complete` is false when the text does not end with a newline (a write that
 * was cut off leaves its last line without one).
 */
export async function verifyChain(text: string): Promise<ChainVerification> {
  const lines = text.split('\n');
  const complete = lines[lines.length - 1] === '';
  if (complete) lines.pop();
  let head = EMPTY_CHAIN;
  for (let i = 0; i < lines.length; i++) {
    const broken = (reason: string): ChainVerification => ({ records: i, head, broken: { line: i + 1, sequence: head.sequence + 1, reason } });
    if (i === lines.length - 1 && !complete) return broken('the last line has no newline: a write was cut off');
    const checked = await checkLine(lines[i]!);
    if ('problem' in checked) return broken(checked.problem);
    const { record } = checked;
    if (record.sequence !== head.sequence + 1) return broken(`its sequence is ${record.sequence}, expected ${head.sequence + 1} (a record was removed, inserted or reordered)`);
    if (record.prev !== head.hash) return broken(`its prev ${record.prev.slice(0, 12)}… is not the hash of the record before (${head.hash.slice(0, 12)}…)`);
    head = { sequence: record.sequence, hash: record.hash };
  }
  return { records: lines.length, head, broken: null };
}
