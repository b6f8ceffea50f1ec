import { readFile, open, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditError } from '../audit/audit-error.js';
import { isProcessAlive } from '@cvf/core/node';

/** How long a writer waits for the lock before giving up: appends hold it for one read and one write. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Whether the lock file names a process of this host that no longer runs: a writer killed while it
 * held the lock. A lock just created and not yet written (empty) counts as held.
 */
async function stale(path: string): Promise<boolean> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const [pid, host] = text.split('\n');
  const n = Number(pid);
  return host === hostname() && Number.isInteger(n) && n > 0 && !isProcessAlive(n);
}

/**
 * Runs `work` holding an exclusive lock between processes: the lock is a file created with O_EXCL
 * ('wx'), holding the owner's pid and host, removed when `work` ends. A lock left by a dead
 * process of this host is broken; one held longer than `timeoutMs` by a live one is
 * AUDIT_LOCK_TIMEOUT naming the file.
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(`${process.pid}\n${hostname()}\n`);
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Two writers may judge the same dead lock at once and the slower one remove the faster one's new lock;
      // the window is one unlink wide, and a fork it caused is a sequence clash that verify names.
      if (await stale(path)) {
        await unlink(path).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new AuditError('AUDIT_LOCK_TIMEOUT', `the audit log lock ${path} has been held for over ${timeoutMs} ms by another writer (${(await readFile(path, 'utf8').catch(() => '')).split('\n')[0] || 'unknown pid'}); if no cvf process runs, delete it`);
      // Jittered back-off: writers that collide do not retry in step.
      await sleep(Math.min(2 + attempt, 20) * (0.5 + Math.random()));
    }
  }
  try {
    return await work();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
