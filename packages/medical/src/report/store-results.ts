import { DicomwebError } from '@cvf/core';
import type { DicomwebClient, StowResult } from '../dicomweb/dicomweb-client.js';
import type { ResultObjects } from './result-objects.js';

/**
 * STOW-RS of a prediction's results into their source study. Resolves when every object is
 * stored; a server that refuses some is DICOMWEB_STORE_FAILED (with the failure reasons in
 * `details.failed`), other failures are the client's DicomwebError.
 */
export async function storeResultObjects(client: DicomwebClient, results: ResultObjects): Promise<StowResult> {
  const files = [results.report, ...(results.capture ? [results.capture] : [])];
  const stored = await client.storeInstances(files, { studyInstanceUID: results.source.studyInstanceUID });
  if (stored.failed.length > 0 || stored.stored.length !== files.length) {
    const reasons = stored.failed.map((f) => `${f.sopInstanceUID ?? '?'}: reason ${f.reason ?? 'not given'}`).join('; ');
    throw new DicomwebError('DICOMWEB_STORE_FAILED', `STOW-RS to ${client.url} stored ${stored.stored.length} of ${files.length} result object(s)${reasons ? ` (refused: ${reasons})` : ''}`, {
      details: { failed: stored.failed },
    });
  }
  return stored;
}
