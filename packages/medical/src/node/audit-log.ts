import { createHash } from 'node:crypto';
import { closeSync, fdatasync, fdatasyncSync, fstatSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join, resolve } from 'node:path';
import { chainEntries, headOf, verifyChain, type ChainHead, type ChainVerification, type TextDigest } from '../audit/audit-chain.js';
import { AuditError } from '../audit/audit-error.js';
import { checkEntry, type AuditEntry, type AuditRecord } from '../audit/audit-record.js';
import { InstanceHasher } from '../audit/instance-hasher.js';
import { withFileLock } from './audit-lock.js';
import { readOrCreateSalt } from './audit-salt.js';

/** Where a store keeps its audit trail: `<store>/audit/`. */
export interface AuditPaths {
  readonly dir: string;
  /** The log: one canonical JSON record a line, append-only. */
  readonly log: string;
  /** Held by a writer while it reads the chain's head and appends. */
  readonly lock: string;
  /** The salt of the instance hashes: never in the log, never exported. */
  readonly salt: string;
}

export function auditPaths(storeDir: string): AuditPaths {
  const dir = join(resolve(storeDir), 'audit');
  return { dir, log: join(dir, 'audit.jsonl'), lock: join(dir, 'audit.lock'), salt: join(dir, 'instance-salt.key') };
}

/** Longest line read back to find the chain's head; records are well under 1 KiB but for many thresholds. */
const MAX_LINE_BYTES = 1 << 20;
/** The first read from the end: a whole record as a rule, so an append reads the same few bytes however long the log is. */
const FIRST_TAIL_BYTES = 4096;

/** The last line of the open log, `size` bytes long (without its newline); undefined for an empty log. */
function lastLine(fd: number, size: number, path: string): string | undefined {
  if (size === 0) return undefined;
  // Read back from the end, twice as far each time, until the newline before the last line shows.
  for (let want = Math.min(size, FIRST_TAIL_BYTES); ; want = Math.min(size, want * 2)) {
    const buffer = Buffer.alloc(want);
    readSync(fd, buffer, 0, want, size - want);
    if (buffer[want - 1] !== 0x0a) throw new AuditError('AUDIT_LOG_CORRUPT', `the last line of ${path} has no newline: a write was cut off; nothing is appended to a broken chain — run cvf audit verify`);
    const start = buffer.lastIndexOf(0x0a, want - 2) + 1;
    if (start > 0 || want === size) return buffer.subarray(start, want - 1).toString('utf8');
    if (want > MAX_LINE_BYTES) throw new AuditError('AUDIT_LOG_CORRUPT', `the last line of ${path} is over ${MAX_LINE_BYTES} bytes: it is no record the trail writes`);
  }
}

const datasync = promisify(fdatasync);

/**
 * Node's own SHA-256, called synchronously: a record's hash takes microseconds here, where
 * WebCrypto's digest is a trip through libuv's thread pool that an answer would wait for.
 */
const nodeDigest: TextDigest = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Writes all of `bytes` at the end of the O_APPEND file `fd`. */
function appendAll(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}

/**
 * The append-only, hash-chained audit log of a store. Appends are safe across processes: a writer
 * takes the lock file, reads the chain's head (the last line) back, appends its whole lines with
 * one O_APPEND write, syncs, and lets go. Within a process, appends queue one behind the other, and
 * those that arrive while a write is in flight go out together in the next one (one lock and one
 * sync for all: a server answering many requests at once does not wait for a sync per record).
 *
 * The log stays open between appends, and everything but the sync is a synchronous call: on a
 * local disk each takes microseconds, less than a trip through libuv's thread pool, which on a
 * busy machine also waits for a thread to be scheduled. Only the sync, which waits on the disk,
 * leaves the event loop, unless the caller says it would only wait for it (`blocking`).
 */
export class AuditLog {
  readonly paths: AuditPaths;
  readonly #hasher: InstanceHasher;
  #queue: Promise<unknown> = Promise.resolve();
  #waiting: { entries: readonly AuditEntry[]; blocking: boolean; resolve(records: AuditRecord[]): void; reject(error: unknown): void }[] = [];
  /**
   * Where this log's last append left the file: its size and the chain's head. The log only
   * grows, so while its size is still that, nobody else has appended and the head needs no
   * reading back (nor its record re-hashing) — most appends of a server that is the only writer.
   */
  #end: { size: number; head: ChainHead } | undefined;
  /** The open log and the file it is (device and inode), to notice the path now names another file. */
  #file: { fd: number; dev: number; ino: number } | undefined;

  private constructor(paths: AuditPaths, hasher: InstanceHasher) {
    this.paths = paths;
    this.#hasher = hasher;
  }

  /** The audit log of the store at `storeDir`; its folder and salt are made on first use. */
  static async open(storeDir: string): Promise<AuditLog> {
    const paths = auditPaths(storeDir);
    await mkdir(paths.dir, { recursive: true, mode: 0o700 });
    return new AuditLog(paths, await InstanceHasher.create(await readOrCreateSalt(paths.salt)));
  }

  /** The salted hash of a SOP Instance UID, for an entry's `instance`. */
  hashInstance(sopInstanceUid: string | null | undefined): Promise<string | null> {
    return this.#hasher.hash(sopInstanceUid);
  }

  /** The salted hash of an instance digest computed elsewhere (the viewer's; see instanceDigest). */
  hashInstanceDigest(digest: string | null): Promise<string | null> {
    return this.#hasher.hashDigest(digest);
  }

  /**
   * Appends the entries, in order, as the next records of the chain; returns them as written.
   * `blocking`: the caller has nothing else to do until the records are on disk (a server's lone
   * request), so an append written alone waits for the disk on this thread instead of a trip
   * through libuv's thread pool and back.
   */
  append(entries: readonly AuditEntry[], options: { blocking?: boolean } = {}): Promise<AuditRecord[]> {
    return new Promise((resolve, reject) => {
      // Checked here, so an invalid entry fails its own call and not the appends written with it.
      entries.forEach(checkEntry);
      this.#waiting.push({ entries, blocking: options.blocking ?? false, resolve, reject });
      if (this.#waiting.length === 1) this.#queue = this.#queue.then(() => this.#writeWaiting());
    });
  }

  /** Writes every append waiting now as one, and gives each caller its own records. */
  async #writeWaiting(): Promise<void> {
    const batch = this.#waiting.splice(0);
    try {
      const blocking = batch.length === 1 && batch[0]!.blocking;
      const records = await this.#appendLocked(batch.flatMap((b) => b.entries), blocking);
      let at = 0;
      for (const { entries, resolve } of batch) {
        resolve(records.slice(at, at + entries.length));
        at += entries.length;
      }
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }

  async #appendLocked(entries: readonly AuditEntry[], blocking: boolean): Promise<AuditRecord[]> {
    if (entries.length === 0) return [];
    const { log, lock } = this.paths;
    return withFileLock(lock, async () => {
      const fd = this.#openLog();
      const { size } = fstatSync(fd);
      const head = this.#end?.size === size ? this.#end.head : await headOf(lastLine(fd, size, log), log);
      const chained = await chainEntries(head, entries, new Date(), nodeDigest);
      this.#end = undefined;
      const bytes = Buffer.from(chained.text, 'utf8');
      appendAll(fd, bytes);
      if (blocking) fdatasyncSync(fd);
      else await datasync(fd);
      this.#end = { size: size + bytes.length, head: chained.head };
      return chained.records;
    });
  }

  /** The log's descriptor: the one kept open, unless the path names another file now (moved away, deleted, restored). */
  #openLog(): number {
    const onDisk = statSync(this.paths.log, { throwIfNoEntry: false });
    if (this.#file && onDisk?.dev === this.#file.dev && onDisk.ino === this.#file.ino) return this.#file.fd;
    this.close();
    const fd = openSync(this.paths.log, 'a+', 0o600);
    const { dev, ino } = fstatSync(fd);
    this.#file = { fd, dev, ino };
    return fd;
  }

  /** Closes the log file; a later append opens it again. */
  close(): void {
    if (this.#file) closeSync(this.#file.fd);
    this.#file = undefined;
    this.#end = undefined;
  }
}

/** The log's text, read while no writer holds the lock (a half-written line is not mistaken for a cut-off one). */
export async function readAuditLog(storeDir: string): Promise<{ paths: AuditPaths; text: string }> {
  const paths = auditPaths(storeDir);
  const read = () =>
    readFile(paths.log, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new AuditError('AUDIT_LOG_NOT_FOUND', `no audit log at ${paths.log}: nothing has been audited in the store ${resolve(storeDir)} (or name another with --store)`);
      throw error;
    });
  try {
    return { paths, text: await withFileLock(paths.lock, read) };
  } catch (error) {
    // A read-only copy of a store (an archive under review) cannot take the lock; nobody writes to it either.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOENT') return { paths, text: await read() };
    throw error;
  }
}

/** Verifies the store's whole audit log (see verifyChain). */
export async function verifyAuditLog(storeDir: string): Promise<ChainVerification & { readonly path: string }> {
  const { paths, text } = await readAuditLog(storeDir);
  return { path: paths.log, ...(await verifyChain(text)) };
}
