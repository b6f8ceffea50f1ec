import * as z from 'zod';

/**
 * POST /api/audit/decisions — a decision the viewer made in the browser, for the store's audit
 * trail. Only the decision and the model are sent, and the SOP Instance UID of the image, which
 * the server replaces with its salted hash before anything is written; never pixels, names or
 * other DICOM attributes.
 */
export const auditDecisionRequestSchema = z.strictObject({
  model: z.strictObject({ name: z.string().min(1).max(256), version: z.int().positive().nullable(), configHash: z.string().max(128) }),
  decision: z.strictObject({
    outcome: z.string().min(1).max(32),
    class: z.string().max(256),
    probability: z.number().min(0).max(1),
    thresholds: z.record(z.string().max(256), z.number()).nullable(),
  }),
  /** Null for an image that is not DICOM (PNG, JPEG). */
  sopInstanceUid: z.string().max(64).regex(/^[0-9.]+$/, 'a UID is digits and dots').nullable(),
});
export type AuditDecisionRequest = z.infer<typeof auditDecisionRequestSchema>;

/** Where the record landed in the chain. */
export const auditDecisionResponseSchema = z.strictObject({ sequence: z.int().positive(), hash: z.string() });
export type AuditDecisionResponse = z.infer<typeof auditDecisionResponseSchema>;

export const AUDIT_DECISIONS_URL = '/api/audit/decisions';
