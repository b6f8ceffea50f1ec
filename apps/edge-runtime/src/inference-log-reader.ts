import { readFile } from 'node:fs/promises';
import { InferenceLogError, parseStoredLine, type StoredInferenceRecord } from './inference-log-record.js';
import { listSegments } from './inference-log-segments.js';

export interface ReadInferenceLogOptions {
  /** Only this model's records. */
  model?: string;
  /** Only records at or after this time (a Date or an ISO 8601 string). */
  since?: Date | string;
}

/**
 * The records of an inference log folder, oldest first. Lines that are not whole records — the torn
 * last line of a writer that died mid-write, or a line being written right now — are skipped.
 */
export async function readInferenceLog(dir: string, options: ReadInferenceLogOptions = {}): Promise<StoredInferenceRecord[]> {
  const since = options.since === undefined ? undefined : sinceTime(options.since);
  const records: StoredInferenceRecord[] = [];
  for (const segment of listSegments(dir)) {
    let text: string;
    try {
      text = await readFile(segment.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // rotated away while we read
      throw new InferenceLogError('INFERENCE_LOG_UNAVAILABLE', `cannot read inference log segment ${segment.path}: ${(error as Error).message}`, { cause: error });
    }
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const record = parseStoredLine(line);
      if (!record) continue;
      if (options.model !== undefined && record.model !== options.model) continue;
      if (since !== undefined && Date.parse(record.time) < since) continue;
      records.push(record);
    }
  }
  return records;
}

function sinceTime(since: Date | string): number {
  const time = since instanceof Date ? since.getTime() : Date.parse(since);
  if (Number.isNaN(time)) throw new InferenceLogError('INFERENCE_LOG_OPTIONS_INVALID', `since ${JSON.stringify(String(since))} is not a date; give a Date or an ISO 8601 string`);
  return time;
}
