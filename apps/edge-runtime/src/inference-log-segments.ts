import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceLogError } from './inference-log-record.js';

/** A segment is one JSON-lines file; names sort in the order the segments were started. */
const SEGMENT_PATTERN = /^inference-(\d{13})-(\d+)-(\d{6})\.jsonl$/;
/** The per-store secret that salts SOP Instance UID hashes, beside the segments. */
export const SALT_FILE = 'inference-log.salt';
const SALT_BYTES = 32;

export interface Segment {
  name: string;
  path: string;
  bytes: number;
}

/** The log's segments, oldest first (start time, then process id, then sequence). */
export function listSegments(dir: string): Segment[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new InferenceLogError('INFERENCE_LOG_UNAVAILABLE', `cannot list the inference log folder ${dir}: ${(error as Error).message}`, { cause: error });
  }
  const segments: { segment: Segment; key: [number, number, number] }[] = [];
  for (const name of names) {
    const match = SEGMENT_PATTERN.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    let bytes: number;
    try {
      bytes = statSync(path).size;
    } catch {
      continue; // deleted by a concurrent rotation between readdir and stat
    }
    segments.push({ segment: { name, path, bytes }, key: [Number(match[1]), Number(match[2]), Number(match[3])] });
  }
  segments.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);
  return segments.map((s) => s.segment);
}

/** A fresh segment name: this process never appends to a file a crashed writer may have left torn. */
export function segmentName(startedAt: number, sequence: number): string {
  return `inference-${String(startedAt).padStart(13, '0')}-${process.pid}-${String(sequence).padStart(6, '0')}.jsonl`;
}

/**
 * The log folder's salt: read from its secret file, or created there (owner-only, 0600) on first
 * use. Written to a private temporary file and linked into place, so the salt file is never seen
 * half-written and two processes starting at once agree on one salt.
 */
export function loadOrCreateSalt(dir: string): Buffer {
  const path = join(dir, SALT_FILE);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!existsSync(path)) {
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, randomBytes(SALT_BYTES).toString('hex'), { mode: 0o600, flag: 'w' });
      try {
        linkSync(temporary, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        unlinkSync(temporary);
      }
    }
    const salt = readFileSync(path, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(salt)) return Buffer.from(salt, 'hex');
    throw new Error(`it does not hold ${SALT_BYTES} hex bytes; delete it to make a new one (earlier hashes will no longer match)`);
  } catch (error) {
    throw new InferenceLogError('INFERENCE_LOG_UNAVAILABLE', `cannot use the inference log salt ${path}: ${(error as Error).message}`, { cause: error });
  }
}
