// bench/audit: what recording a decision in the audit trail costs. CV Factory's AuditLog.append
// (lock file, chain head read back, one O_APPEND write, fdatasync) one record a call and ten a
// call (an edge batch), beside two peers on the same disk in the same run: a bare JSON-lines
// append (no lock, no chain, no sync: the floor) and the same append with an fdatasync (what
// durability alone costs). Then `cvf audit verify`'s chain check over the log written. Sides
// take turns for --rounds rounds; each counts its mean over --records records.
// Usage: npx tsx --conditions=source bench/audit/run.ts [--records N] [--rounds R] [--dir DIR]
import { AuditLog, auditPaths, verifyAuditLog } from '@cvf/medical/node';
import type { AuditEntry } from '@cvf/medical';
import { appendFile, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, printTable, writeResults } from '../support/report.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1]! : fallback;
};
const records = Number(flag('--records', '500'));
const rounds = Number(flag('--rounds', '2'));
const root = await mkdtemp(join(flag('--dir', tmpdir()), 'cvf-bench-audit-'));

const entry = (i: number): AuditEntry => ({
  source: 'edge',
  model: { name: 'chest-ct', version: 3, configHash: '5f2c0a9d41b7e3c8' },
  decision: { outcome: i % 5 === 0 ? 'refer' : 'positive', class: 'nodule', probability: 0.5 + (i % 50) / 100, thresholds: { nodule: 0.42 } },
  instance: null,
});

interface Side {
  readonly name: string;
  /** Appends `count` records; resolves when they are on their way (or on disk, for the syncing sides). */
  run(count: number, round: number): Promise<void>;
}

const sides: Side[] = [
  {
    name: 'cvf AuditLog.append, 1 record a call',
    async run(count, round) {
      const log = await AuditLog.open(join(root, `one-${round}`));
      for (let i = 0; i < count; i++) await log.append([{ ...entry(i), instance: await log.hashInstance(`2.25.${i}`) }]);
    },
  },
  {
    name: 'cvf AuditLog.append, 10 records a call',
    async run(count, round) {
      const log = await AuditLog.open(join(root, `ten-${round}`));
      for (let i = 0; i < count; i += 10) await log.append(await Promise.all(Array.from({ length: 10 }, async (_, k) => ({ ...entry(i + k), instance: await log.hashInstance(`2.25.${i + k}`) }))));
    },
  },
  {
    name: 'peer: JSON line appendFile (no lock, chain, sync)',
    async run(count, round) {
      const path = join(root, `plain-${round}.jsonl`);
      for (let i = 0; i < count; i++) await appendFile(path, `${JSON.stringify(entry(i))}\n`);
    },
  },
  {
    name: 'peer: JSON line O_APPEND + fdatasync',
    async run(count, round) {
      const handle = await open(join(root, `synced-${round}.jsonl`), 'a');
      try {
        for (let i = 0; i < count; i++) {
          await handle.write(`${JSON.stringify(entry(i))}\n`);
          await handle.datasync();
        }
      } finally {
        await handle.close();
      }
    },
  },
];

const seconds = new Map<string, number[]>(sides.map((s) => [s.name, []]));
for (let round = 0; round < rounds; round++) {
  for (const side of sides) {
    const start = performance.now();
    await side.run(records, round);
    seconds.get(side.name)!.push((performance.now() - start) / 1000);
  }
}
const verifyStart = performance.now();
const verified = await verifyAuditLog(join(root, 'one-0'));
const verifySeconds = (performance.now() - verifyStart) / 1000;
if (verified.broken || verified.records !== records) throw new Error(`the benchmark's own log does not verify: ${JSON.stringify(verified.broken)}`);

const floor = Math.min(...seconds.get(sides[2]!.name)!);
const rows = sides.map((side) => {
  const best = Math.min(...seconds.get(side.name)!);
  return { side: side.name, 'ms / record': (best / records) * 1000, 'records / s': records / best, 'x floor': best / floor };
});
rows.push({ side: `cvf audit verify (${records} records)`, 'ms / record': (verifySeconds / records) * 1000, 'records / s': records / verifySeconds, 'x floor': Number.NaN });
printTable(rows);
const file = writeResults('audit', { machine: machine(), records, rounds, disk: root, rows, logBytes: (await import('node:fs')).statSync(auditPaths(join(root, 'one-0')).log).size });
console.log(`\nbest of ${rounds} rounds, ${records} records each, on ${root}; written to ${file}`);
await rm(root, { recursive: true, force: true });
