import { AuditError } from './audit-error.js';

/**
 * The one byte form of a JSON value that the chain hashes: object keys sorted by code point, no
 * whitespace, numbers as JavaScript prints them. Non-finite numbers and values JSON cannot hold
 * are refused, so a record always reads back to the same bytes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AuditError('AUDIT_INVALID', `${value} cannot be stored in the audit trail; numbers must be finite`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new AuditError('AUDIT_INVALID', `a ${typeof value} cannot be stored in the audit trail`);
}
