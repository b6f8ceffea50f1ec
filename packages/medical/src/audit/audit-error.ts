import { CvfError } from '@cvf/core';

/**
 * Stable codes of the audit trail: AUDIT_INVALID (a record or an option is not what the trail
 * takes), AUDIT_LOG_CORRUPT (the log's last record cannot be read, so nothing is chained onto it),
 * AUDIT_LOCK_TIMEOUT (another writer held the log too long), AUDIT_LOG_NOT_FOUND (no log where named).
 */
export type AuditErrorCode = 'AUDIT_INVALID' | 'AUDIT_LOG_CORRUPT' | 'AUDIT_LOCK_TIMEOUT' | 'AUDIT_LOG_NOT_FOUND';

export class AuditError extends CvfError {
  declare readonly code: AuditErrorCode;
  constructor(code: AuditErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
