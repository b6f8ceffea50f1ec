import { AuditLog } from '@cvf/medical/node';
import { auditDecisionRequestSchema, auditDecisionResponseSchema, AUDIT_DECISIONS_URL } from '../../src/pages/viewer/audit-schema.js';
import { readJson, sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';

/** The audit log of each store this process serves, opened once (its salt read once). */
const logs = new Map<string, Promise<AuditLog>>();

function auditLogOf(storeDir: string): Promise<AuditLog> {
  let log = logs.get(storeDir);
  if (!log) {
    log = AuditLog.open(storeDir);
    logs.set(storeDir, log);
    // A failed opening is tried again by the next request, not remembered.
    log.catch(() => logs.delete(storeDir));
  }
  return log;
}

/**
 * The viewer's decisions into the store's hash-chained audit trail (source `studio`), the same
 * trail `cvf predict` and the edge runtime append to. The page's instance digest is hashed with
 * the store's salt here, giving the hash the CLI and the edge runtime record for the same image;
 * the record is answered with its place in the chain.
 */
export const auditRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: AUDIT_DECISIONS_URL,
    handle: async ({ req, res, studio }) => {
      const request = await readJson(req, auditDecisionRequestSchema);
      const log = await auditLogOf(studio.storeDir);
      const [record] = await log.append([{ source: 'studio', model: request.model, decision: request.decision, instance: await log.hashInstanceDigest(request.instanceDigest) }]);
      sendJson(res, auditDecisionResponseSchema, { sequence: record!.sequence, hash: record!.hash }, 201);
    },
  },
];
