import { verifyChain, type ChainBreak } from './audit-chain.js';
import { AuditError } from './audit-error.js';
import type { AuditRecord } from './audit-record.js';

export interface AuditTimeRange {
  /** Records at or after this time (ISO 8601); default: from the first. */
  readonly from?: string;
  /** Records before this time (ISO 8601); default: to the last. */
  readonly to?: string;
}

function instant(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AuditError('AUDIT_INVALID', `--${name} "${value}" is not an ISO 8601 time (e.g. 2026-01-31 or 2026-01-31T08:00:00Z)`);
  return ms;
}

/**
 * The records of a log whose time is in [from, to), checked first: only the intact chain before
 * the first break is exported, and the break is returned so the caller can say so.
 */
export async function exportAuditRecords(text: string, range: AuditTimeRange = {}): Promise<{ records: AuditRecord[]; broken: ChainBreak | null }> {
  const from = instant(range.from, 'from');
  const to = instant(range.to, 'to');
  if (from !== undefined && to !== undefined && from >= to) throw new AuditError('AUDIT_INVALID', `--from ${range.from} is not before --to ${range.to}`);
  const { records: intact, broken } = await verifyChain(text);
  const lines = text.split('\n').slice(0, intact);
  const records = lines.map((line) => JSON.parse(line) as AuditRecord).filter((r) => {
    const t = Date.parse(r.time);
    return (from === undefined || t >= from) && (to === undefined || t < to);
  });
  return { records, broken };
}
