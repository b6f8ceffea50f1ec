import { parseDicom, predictionAuditEntry, Tag, type AuditablePrediction, type AuditModel } from '@cvf/medical';
import { AuditLog } from '@cvf/medical/node';
import { readRegularFile } from '@cvf/core/node';
import { findAuditStore } from '../audit-store.js';

/** The audit log `cvf predict` appends to: the store's, when there is one and --no-audit was not given. */
export async function openPredictAudit(storeFlag: string | undefined, enabled: boolean): Promise<AuditLog | undefined> {
  if (!enabled) return undefined;
  const store = findAuditStore(storeFlag);
  return store === undefined ? undefined : AuditLog.open(store);
}

/** A DICOM file's SOP Instance UID (for its salted hash); undefined for other images. */
async function sopInstanceUidOf(path: string): Promise<string | undefined> {
  const bytes = await readRegularFile(path, { what: 'image' });
  const isDicom = bytes.length > 132 && String.fromCharCode(...bytes.subarray(128, 132)) === 'DICM';
  return isDicom ? parseDicom(bytes).string(Tag.SOPInstanceUID) : undefined;
}

/**
 * Appends one audit record per file that was predicted (files that failed decided nothing), in
 * the order of the output, before any of it is shown as final: a decision the trail could not
 * record is an error of the command.
 */
export async function auditPredictions(log: AuditLog, results: readonly ({ readonly file: string } & (AuditablePrediction | { readonly error: unknown }))[], model: AuditModel): Promise<void> {
  const entries = [];
  for (const result of results) {
    if ('error' in result) continue;
    entries.push(predictionAuditEntry('cli', result, model, await log.hashInstance(await sopInstanceUidOf(result.file))));
  }
  await log.append(entries);
}
