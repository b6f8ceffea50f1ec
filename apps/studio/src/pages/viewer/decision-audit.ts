import type { Prediction } from '@cvf/core';
import { instanceDigest, predictionAuditEntry } from '@cvf/medical';
import { AUDIT_DECISIONS_URL, auditDecisionResponseSchema, type AuditDecisionRequest, type AuditDecisionResponse } from './audit-schema.js';

/**
 * Sends a decision made in the browser to the studio's audit trail: the decision and the model
 * (by its registry name and version), with the digest of the image's SOP Instance UID — the UID
 * itself stays in the page.
 */
export async function recordDecision(model: { name: string; version: number; configHash: string }, prediction: Prediction, sopInstanceUid: string | undefined): Promise<AuditDecisionResponse> {
  const entry = predictionAuditEntry('studio', prediction, model, null);
  const request: AuditDecisionRequest = { model: entry.model, decision: { ...entry.decision, thresholds: entry.decision.thresholds && { ...entry.decision.thresholds } }, instanceDigest: await instanceDigest(sopInstanceUid) };
  const response = await fetch(AUDIT_DECISIONS_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  const body: unknown = await response.json();
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } }).error;
    throw Object.assign(new Error(`the decision was not recorded in the audit trail: ${error?.message ?? response.statusText}`), { code: error?.code ?? 'AUDIT_FAILED' });
  }
  return auditDecisionResponseSchema.parse(body);
}
