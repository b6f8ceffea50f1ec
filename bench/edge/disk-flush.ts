// What the audit trail's durable append costs on the store's disk, apart from the server: a
// record-sized line appended and fdatasync'd, as the trail does once per answer (or per group of
// answers that arrive together), at about the pace of concurrency-1 traffic. This time is part of
// every audited answer's latency, whatever the server's code does.
import { closeSync, fdatasync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { percentile } from './http-load.js';

const datasync = promisify(fdatasync);

export interface DiskFlush {
  readonly appends: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export async function diskFlush(dir: string, appends = 500, gapMs = 20): Promise<DiskFlush> {
  const path = join(dir, 'flush-probe.jsonl');
  const fd = openSync(path, 'a', 0o600);
  const line = Buffer.from(`${JSON.stringify({ probe: 'x'.repeat(560) })}\n`);
  const times: number[] = [];
  try {
    for (let i = 0; i < appends; i++) {
      const start = performance.now();
      writeSync(fd, line);
      await datasync(fd);
      times.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  times.sort((a, b) => a - b);
  return { appends, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99) };
}
