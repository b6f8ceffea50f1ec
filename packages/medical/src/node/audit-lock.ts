import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditError } from '../audit/audit-error.js';
import { isProcessAlive } from '@cvf/core/node';

/** How long a writer waits for the lock before giving up: appends hold it for one read and one write. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** The lock file's text: its owner's pid and host; '' when it is gone (or unreadable). */
function ownerOf(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Whether the lock file names a process of this host that no longer runs: a writer killed while it
 * held the lock. A lock just created and not yet written (empty) counts as held.
 */
function stale(path: string): boolean {
  const [pid, host] = ownerOf(path).split('\n');
  const n = Number(pid);
  return host === hostname() && Number.isInteger(n) && n > 0 && !isProcessAlive(n);
}

/** Creates the lock file if nobody holds it; false when it exists. */
function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n${hostname()}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function release(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: a writer that judged it stale removed it.
  }
}

/**
 * Runs `work` holding an exclusive lock between processes: the lock is a file created with O_EXCL
 * ('wx'), holding the owner's pid and host, removed when `work` ends. A lock left by a dead
 * process of this host is broken; one held longer than `timeoutMs` by a live one is
 * AUDIT_LOCK_TIMEOUT naming the file.
 *
 * Creating, writing and removing the file are synchronous calls: each is a few microseconds on a
 * local disk, where a trip through libuv's thread pool costs more than the call and, on a busy
 * machine, waits for a thread to be scheduled (a server appends once per answer).
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; !tryCreate(path); attempt++) {
    // Two writers may judge the same dead lock at once and the slower one remove the faster one's new lock;
    // the window is one unlink wide, and a fork it caused is a sequence clash that verify names.
    if (stale(path)) {
      release(path);
      continue;
    }
    if (Date.now() > deadline) throw new AuditError('AUDIT_LOCK_TIMEOUT', `the audit log lock ${path} has been held for over ${timeoutMs} ms by another writer (${ownerOf(path).split('\n')[0] || 'unknown pid'}); if no cvf process runs, delete it`);
    // Jittered back-off: writers that collide do not retry in step.
    await sleep(Math.min(2 + attempt, 20) * (0.5 + Math.random()));
  }
  try {
    return await work();
  } finally {
    release(path);
  }
}
