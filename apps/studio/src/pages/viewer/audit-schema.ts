import * as z from 'zod';

/**
 * POST /api/audit/decisions — a decision the viewer made in the browser, for the store's audit
 * trail. Only the decision and the model are sent, and the image's instance digest (SHA-256 of its
 * SOP Instance UID, computed in the page: the UID itself never leaves it), which the server hashes
 * again with the store's salt before anything is written; never pixels, names or other attributes.
 */
export const auditDecisionRequestSchema = z.strictObject({
  model: z.strictObject({ name: z.string().min(1).max(256), version: z.int().positive().nullable(), configHash: z.string().max(128) }),
  decision: z.strictObject({
    outcome: z.string().min(1).max(32),
    class: z.string().max(256),
    probability: z.number().min(0).max(1),
    thresholds: z.record(z.string().max(256), z.number()).nullable(),
  }),
  /** instanceDigest(SOP Instance UID) from @cvf/medical; null for an image that is not DICOM (PNG, JPEG). */
  instanceDigest: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest is 64 lower-case hex digits').nullable(),
});
export type AuditDecisionRequest = z.infer<typeof auditDecisionRequestSchema>;

/** Where the record landed in the chain. */
export const auditDecisionResponseSchema = z.strictObject({ sequence: z.int().positive(), hash: z.string() });
export type AuditDecisionResponse = z.infer<typeof auditDecisionResponseSchema>;

export const AUDIT_DECISIONS_URL = '/api/audit/decisions';
