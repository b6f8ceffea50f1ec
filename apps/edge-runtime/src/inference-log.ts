import { mkdirSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { InferenceLogError, serializeInferenceRecord, type InferenceRecord } from './inference-log-record.js';
import { listSegments, loadOrCreateSalt, segmentName, type Segment } from './inference-log-segments.js';

export { InferenceLogError, type InferenceRecord, type StoredInferenceRecord } from './inference-log-record.js';
export { readInferenceLog, type ReadInferenceLogOptions } from './inference-log-reader.js';

export interface InferenceLogOptions {
  /** The log folder (under the store); created if missing. */
  dir: string;
  /** Bound on all segments together; the oldest are deleted past it. Default 64 MiB. */
  maxBytes?: number;
  /** A segment is closed and a new one started once it reaches this size. Default min(8 MiB, maxBytes / 4). */
  segmentBytes?: number;
  /** Salt of the SOP Instance UID hashes; default: the folder's secret file, created 0600 on first use. */
  salt?: string | Buffer;
  /** Records waiting for the disk beyond this many bytes are dropped (and counted), never queued without bound. Default 4 MiB. */
  maxBufferedBytes?: number;
  /** Told of a failed write (disk full, folder removed): the server keeps answering, the batch is dropped. */
  onError?: (error: Error) => void;
}

export interface InferenceLogStats {
  /** Records on disk (written by this log). */
  written: number;
  /** Records lost to a full buffer or a failed write. */
  dropped: number;
}

export interface InferenceLog {
  /** Queues one record; returns at once (the write happens after the current event-loop turn). Throws INFERENCE_LOG_INVALID for a malformed record. */
  append(record: InferenceRecord): void;
  /** Resolves once every record appended so far has been handed to the file system. */
  flush(): Promise<void>;
  /** Flushes and closes the current segment; later appends throw INFERENCE_LOG_CLOSED. */
  close(): Promise<void>;
  readonly stats: Readonly<InferenceLogStats>;
}

const MiB = 1024 * 1024;

/**
 * A size-bounded rolling log of predictions for drift monitoring: JSON lines in segment files that
 * rotate at `segmentBytes`, the oldest deleted past `maxBytes`. Only features, probabilities, the
 * predicted class, model, version, time and a salted hash of the SOP Instance UID are stored.
 * Appends are buffered and written asynchronously in one write per event-loop turn; a process that
 * dies mid-write leaves at most a torn last line, which the reader skips, and the next process
 * starts a new segment rather than appending behind it.
 */
export function createInferenceLog(options: InferenceLogOptions): InferenceLog {
  const maxBytes = options.maxBytes ?? 64 * MiB;
  const segmentBytes = options.segmentBytes ?? Math.min(8 * MiB, Math.floor(maxBytes / 4));
  const maxBufferedBytes = options.maxBufferedBytes ?? 4 * MiB;
  requirePositiveInteger('maxBytes', maxBytes);
  requirePositiveInteger('segmentBytes', segmentBytes);
  requirePositiveInteger('maxBufferedBytes', maxBufferedBytes);
  if (segmentBytes > maxBytes) {
    throw new InferenceLogError('INFERENCE_LOG_OPTIONS_INVALID', `segmentBytes ${segmentBytes} must not exceed maxBytes ${maxBytes}`);
  }
  // Created (or read) once at start-up, synchronously: the salt must exist before the first append.
  // (loadOrCreateSalt makes the folder; with a salt given, it is made here.)
  const salt = options.salt === undefined ? loadOrCreateSalt(options.dir) : (makeFolder(options.dir), saltFromOption(options.salt));
  return new RollingInferenceLog(options.dir, { maxBytes, segmentBytes, maxBufferedBytes }, salt, options.onError ?? (() => {}), listSegments(options.dir));
}

class RollingInferenceLog implements InferenceLog {
  readonly stats: InferenceLogStats = { written: 0, dropped: 0 };
  private pending: string[] = [];
  private pendingBytes = 0;
  private writes: Promise<void> = Promise.resolve();
  private scheduled = false;
  private closed = false;
  private current: { handle: FileHandle; segment: Segment } | undefined;
  private readonly startedAt = Date.now();
  private sequence = 0;
  private totalBytes: number;

  constructor(
    private readonly dir: string,
    private readonly limits: { maxBytes: number; segmentBytes: number; maxBufferedBytes: number },
    private readonly salt: Buffer,
    private readonly onError: (error: Error) => void,
    /** Oldest first; the last one is the segment being written, if any. */
    private readonly segments: Segment[],
  ) {
    this.totalBytes = segments.reduce((sum, s) => sum + s.bytes, 0);
  }

  append(record: InferenceRecord): void {
    if (this.closed) throw new InferenceLogError('INFERENCE_LOG_CLOSED', `the inference log in ${this.dir} is closed; open a new one to append`);
    const line = serializeInferenceRecord(record, this.salt);
    const bytes = Buffer.byteLength(line);
    if (this.pendingBytes + bytes > this.limits.maxBufferedBytes) {
      this.stats.dropped += 1;
      return;
    }
    this.pending.push(line);
    this.pendingBytes += bytes;
    if (!this.scheduled) {
      // Every record appended in this event-loop turn goes out in one write.
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.flush();
      });
    }
  }

  flush(): Promise<void> {
    // Writes are chained: one at a time, in append order.
    this.writes = this.writes.then(() => this.writePending());
    return this.writes;
  }

  async close(): Promise<void> {
    if (this.closed) return this.writes;
    this.closed = true;
    await this.flush();
    await this.closeSegment();
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const lines = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    try {
      const current = this.current ?? (await this.openSegment());
      await current.handle.appendFile(lines.join(''));
      current.segment.bytes += bytes;
      this.totalBytes += bytes;
      this.stats.written += lines.length;
      if (current.segment.bytes >= this.limits.segmentBytes) await this.closeSegment();
      await this.deleteOldestPastLimit();
    } catch (error) {
      this.stats.dropped += lines.length;
      await this.closeSegment().catch(() => {});
      this.onError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private async openSegment(): Promise<{ handle: FileHandle; segment: Segment }> {
    // A new file each time ('wx'): a log opened in the same millisecond by this process (a restart
    // of the server in a test) would otherwise append behind the other's possibly torn last line.
    let handle: FileHandle | undefined;
    let name = '';
    let path = '';
    while (!handle) {
      name = segmentName(this.startedAt, ++this.sequence);
      path = join(this.dir, name);
      handle = await open(path, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return undefined;
        throw error;
      });
    }
    const segment: Segment = { name, path, bytes: 0 };
    this.segments.push(segment);
    this.current = { handle, segment };
    return this.current;
  }

  private async closeSegment(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.handle.close();
  }

  /** Deletes whole segments, oldest first, down to maxBytes; the newest segment always stays. */
  private async deleteOldestPastLimit(): Promise<void> {
    while (this.totalBytes > this.limits.maxBytes && this.segments.length > 1) {
      const oldest = this.segments.shift() as Segment;
      await rm(oldest.path, { force: true });
      this.totalBytes -= oldest.bytes;
    }
  }
}

function saltFromOption(salt: string | Buffer): Buffer {
  const bytes = typeof salt === 'string' ? Buffer.from(salt, 'utf8') : salt;
  if (bytes.length < 16) {
    throw new InferenceLogError('INFERENCE_LOG_OPTIONS_INVALID', `salt of ${bytes.length} bytes is too short to hide SOP Instance UIDs; give at least 16 bytes, or leave it out to use the folder's secret file`);
  }
  return bytes;
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InferenceLogError('INFERENCE_LOG_OPTIONS_INVALID', `${name} ${value} must be a positive whole number of bytes`);
  }
}

function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new InferenceLogError('INFERENCE_LOG_UNAVAILABLE', `cannot create the inference log folder ${dir}: ${(error as Error).message}`, { cause: error });
  }
}
