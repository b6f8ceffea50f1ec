import { AuditError, exportAuditRecords, type ChainBreak } from '@cvf/medical';
import { readAuditLog, verifyAuditLog } from '@cvf/medical/node';
import type { Command } from 'commander';
import { findAuditStore } from '../audit-store.js';
import { EXIT, printJson, runAction } from '../output.js';

interface AuditOptions {
  store?: string;
  json?: boolean;
  from?: string;
  to?: string;
}

function storeOf(flag: string | undefined): string {
  const store = findAuditStore(flag);
  if (store === undefined) {
    throw new AuditError('AUDIT_LOG_NOT_FOUND', flag === undefined ? 'no store found (no --store, no CVF_STORE, no .cvf/ here or above); name the store that holds the audit log with --store DIR' : `the store "${flag}" does not exist`);
  }
  return store;
}

const describeBreak = (b: ChainBreak) => `record ${b.sequence} (line ${b.line}): ${b.reason}`;

/**
 * `cvf audit verify [--store DIR] [--json]`: checks the whole hash chain of the store's audit log;
 * exit 0 when intact (with the head hash, to be noted elsewhere), 1 naming the first broken record.
 * `cvf audit export [--from ISO] [--to ISO] [--store DIR] [--json]`: the records of [from, to) as
 * JSON lines (`--json`: one JSON array); only the intact chain is exported, exit 1 when it breaks.
 */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit trail of decisions (cvf predict, the edge runtime, the viewer)');
  audit
    .command('verify')
    .description('check the whole chain of the audit log; names the first broken record (exit code 1)')
    .option('--store <dir>', 'the store holding audit/audit.jsonl (default: $CVF_STORE, else the nearest .cvf/ here or above)')
    .option('--json', 'print {"path","records","head","broken"} as JSON')
    .action((options: AuditOptions) =>
      runAction(Boolean(options.json), async () => {
        const result = await verifyAuditLog(storeOf(options.store));
        if (options.json) printJson(result);
        else if (result.broken) process.stdout.write(`${result.path}: BROKEN at ${describeBreak(result.broken)}; the ${result.records} record(s) before it are intact\n`);
        else process.stdout.write(`${result.path}: ${result.records} record(s), chain intact; head ${result.head.hash} (sequence ${result.head.sequence})\n`);
        return result.broken ? EXIT.failed : EXIT.ok;
      }, EXIT.badInput),
    );
  audit
    .command('export')
    .description('print the audit records of a time range as JSON lines (only the intact chain; exit code 1 when it breaks)')
    .option('--from <iso>', 'records at or after this time (ISO 8601, e.g. 2026-01-31 or 2026-01-31T08:00:00Z)')
    .option('--to <iso>', 'records before this time (ISO 8601)')
    .option('--store <dir>', 'the store holding audit/audit.jsonl (default: $CVF_STORE, else the nearest .cvf/ here or above)')
    .option('--json', 'print one JSON array instead of JSON lines')
    .action((options: AuditOptions) =>
      runAction(Boolean(options.json), async () => {
        const { paths, text } = await readAuditLog(storeOf(options.store));
        const { records, broken } = await exportAuditRecords(text, { ...(options.from && { from: options.from }), ...(options.to && { to: options.to }) });
        if (options.json) printJson(records);
        else process.stdout.write(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
        if (broken) process.stderr.write(`warning: ${paths.log} is broken at ${describeBreak(broken)}; only the records before it were exported (run cvf audit verify)\n`);
        return broken ? EXIT.failed : EXIT.ok;
      }, EXIT.badInput),
    );
}
