// bench/tracking: metric writes per second into one run from 1 and 4 concurrent processes, the
// default SQLite store (WAL) beside the PostgreSQL store (Debian's PostgreSQL 15 started on loopback
// in a temporary folder, fsync off as in the tests), each step two metrics in one transaction.
// Also checks that every write arrived exactly once (the issue's goal: 4 processes × 1,000 writes,
// none lost, none duplicated). Throughput = all steps / (last writer's end − first writer's start),
// measured inside the writers after their store is open (process start-up is not counted).
// Usage: npx tsx --conditions=source bench/tracking/run.ts [--steps N]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTrackingStore } from '@cvf/core/node';
import { postgresUnavailable, startPostgres } from '@cvf/core/testing';
import { machine, printTable, writeResults } from '../support/report.js';

const args = process.argv.slice(2);
const steps = Number(args[args.indexOf('--steps') + 1] ?? 0) || 1000;
const writerScript = fileURLToPath(new URL('./writer.ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'cvf-bench-tracking-'));

function writer(location: string, runId: string, index: number): Promise<{ start: number; end: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', writerScript, location, runId, String(index), String(steps)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { start: number; end: number }) : reject(new Error(`writer ${index} exited with ${code}`))));
  });
}

async function measure(kind: string, location: string, processes: number): Promise<Record<string, string | number>> {
  const store = await openTrackingStore(location);
  try {
    const run = await store.startRun({ experiment: 'bench' });
    const times = await Promise.all(Array.from({ length: processes }, (_, k) => writer(location, run.id, k)));
    const seconds = (Math.max(...times.map((t) => t.end)) - Math.min(...times.map((t) => t.start))) / 1000;
    const history = await store.getMetricHistory(run.id);
    const distinct = new Set(history.map((m) => `${m.key}@${m.step}`)).size;
    const expected = processes * steps * 2;
    return { store: kind, processes: String(processes), steps: processes * steps, 'steps/s': (processes * steps) / seconds, seconds, rows: history.length, 'exactly once': history.length === expected && distinct === expected ? 'yes' : 'NO' };
  } finally {
    await store.close();
  }
}

const rows: Record<string, string | number>[] = [];
const postgres = postgresUnavailable() === undefined ? await startPostgres() : undefined;
try {
  for (const processes of [1, 4]) {
    rows.push(await measure('sqlite', join(scratch, `sqlite-${processes}`), processes));
    if (postgres) rows.push(await measure('postgresql', `${await postgres.createSchema()}&artifacts=${encodeURIComponent(join(scratch, `pg-${processes}`))}`, processes));
  }
} finally {
  await postgres?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
printTable(rows);
console.log(`results: ${writeResults('tracking', { machine: machine(), steps, rows })}`);
