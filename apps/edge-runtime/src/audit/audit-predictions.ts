import type { Prediction } from '@cvf/core';
import { predictionAuditEntry } from '@cvf/medical';
import type { AuditLog } from '@cvf/medical/node';
import { HttpError } from '../http/http-error.js';
import type { ServedModel } from '../models/served-model.js';

/**
 * Appends one audit record per answered prediction (its decision, the model, the salted hash of
 * the DICOM's SOP Instance UID) before the answer goes out: a decision the trail could not record
 * is not given (503 AUDIT_FAILED), since an unaudited decision is what the trail exists to prevent.
 * A lone request (ServerState.loneRequest) waits for the disk on the event loop's thread.
 */
export async function auditPredictions(audit: AuditLog | undefined, model: ServedModel, predictions: readonly Prediction[], sopInstanceUids: readonly (string | undefined)[], loneRequest = false): Promise<void> {
  if (!audit || predictions.length === 0) return;
  const modelRecord = { name: model.name, version: model.registryVersion ?? model.predictor.bundle.manifest.version, configHash: model.configHash };
  try {
    const entries = await Promise.all(predictions.map(async (p, i) => predictionAuditEntry('edge', p, modelRecord, await audit.hashInstance(sopInstanceUids[i]))));
    await audit.append(entries, { blocking: loneRequest });
  } catch (error) {
    throw new HttpError(503, 'AUDIT_FAILED', 'the decision could not be appended to the audit trail; no result is given without its record (the server log says why)', { cause: error });
  }
}
