import { createHmac } from 'node:crypto';
import { CvfError, INPUT_HISTOGRAM_BINS, type InputImageStatistics } from '@cvf/core';

/** What the server hands the inference log for one prediction. */
export interface InferenceRecord {
  /** ISO 8601 time of the prediction. */
  time: string;
  model: string;
  version: string;
  /** The PCA features the head saw (what drift detectors compare with the training reference). */
  features: number[];
  probabilities: number[];
  predictedClass: number;
  /** The image's intensity statistics before the extractor (a few numbers, no pixels), for the input drift detector. */
  input?: InputImageStatistics;
  /** The id the prediction was answered with, which fed-back labels name. */
  predictionId?: string;
  /** Only its salted hash is stored, never the UID itself. */
  sopInstanceUid?: string;
}

/** One line of the log as stored and read back: the UID replaced by its salted hash. */
export interface StoredInferenceRecord {
  time: string;
  model: string;
  version: string;
  features: number[];
  probabilities: number[];
  predictedClass: number;
  /** Absent in records written before the input detector, or by a server that did not compute it. */
  input?: InputImageStatistics;
  predictionId?: string;
  /** HMAC-SHA-256 (hex) of the SOP Instance UID under the log's salt: joins repeats, reveals nothing. */
  sopInstanceHash?: string;
}

// The edge runtime's prediction ids are UUIDs; the log takes any plain token, as fed-back labels do.
const PREDICTION_ID = /^[\w.:-]{1,128}$/;

export type InferenceLogErrorCode = 'INFERENCE_LOG_INVALID' | 'INFERENCE_LOG_OPTIONS_INVALID' | 'INFERENCE_LOG_CLOSED' | 'INFERENCE_LOG_UNAVAILABLE';

/** A record or option the log refuses, a log used after close, or a log folder or salt file it cannot use. */
export class InferenceLogError extends CvfError {
  declare readonly code: InferenceLogErrorCode;
  constructor(code: InferenceLogErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * The one JSON line stored for a record, newline included. Fields are copied by name, so whatever
 * else a caller's object carries (DICOM attributes, pixels) never reaches the disk.
 */
export function serializeInferenceRecord(record: InferenceRecord, salt: Buffer): string {
  const problem = recordProblem(record);
  if (problem) throw new InferenceLogError('INFERENCE_LOG_INVALID', `inference record refused: ${problem}`);
  const stored: StoredInferenceRecord = {
    time: record.time,
    model: record.model,
    version: record.version,
    features: record.features,
    probabilities: record.probabilities,
    predictedClass: record.predictedClass,
  };
  if (record.input !== undefined) {
    const { mean, std, histogram, width, height } = record.input;
    // Shares to 6 decimals: the histogram is most of a record's statistics, and the tests pool shares over hundreds of images.
    stored.input = { mean, std, histogram: histogram.map((share) => Math.round(share * 1e6) / 1e6), width, height };
  }
  if (record.predictionId !== undefined) stored.predictionId = record.predictionId;
  if (record.sopInstanceUid !== undefined) stored.sopInstanceHash = hashSopInstanceUid(record.sopInstanceUid, salt);
  return `${JSON.stringify(stored)}\n`;
}

export function hashSopInstanceUid(uid: string, salt: Buffer): string {
  return createHmac('sha256', salt).update(uid, 'utf8').digest('hex');
}

/** The stored record on one line, or undefined for a line that is torn (a crash mid-write) or not a record. */
export function parseStoredLine(line: string): StoredInferenceRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as StoredInferenceRecord;
  if (recordProblem(candidate)) return undefined;
  if (candidate.sopInstanceHash !== undefined && !/^[0-9a-f]{64}$/.test(candidate.sopInstanceHash)) return undefined;
  if (candidate.predictionId !== undefined && !PREDICTION_ID.test(candidate.predictionId)) return undefined;
  return candidate;
}

function recordProblem(record: Omit<InferenceRecord, 'sopInstanceUid'> & { sopInstanceUid?: unknown }): string | undefined {
  if (typeof record.time !== 'string' || Number.isNaN(Date.parse(record.time))) return `time ${JSON.stringify(record.time)} is not an ISO 8601 date`;
  if (typeof record.model !== 'string' || record.model === '') return `model ${JSON.stringify(record.model)} must be a non-empty string`;
  if (typeof record.version !== 'string' || record.version === '') return `version ${JSON.stringify(record.version)} must be a non-empty string`;
  if (!isFiniteNumberArray(record.features)) return 'features must be an array of finite numbers';
  if (!isFiniteNumberArray(record.probabilities) || record.probabilities.length === 0) return 'probabilities must be a non-empty array of finite numbers';
  const classes = record.probabilities.length;
  if (!Number.isInteger(record.predictedClass) || record.predictedClass < 0 || record.predictedClass >= classes) {
    return `predictedClass ${JSON.stringify(record.predictedClass)} must be an integer in 0..${classes - 1}`;
  }
  if (record.sopInstanceUid !== undefined && typeof record.sopInstanceUid !== 'string') return 'sopInstanceUid must be a string when given';
  if (record.predictionId !== undefined && (typeof record.predictionId !== 'string' || !PREDICTION_ID.test(record.predictionId))) {
    return `predictionId ${JSON.stringify(record.predictionId)} must be a plain token (letters, digits, "_", ".", ":" or "-", up to 128 characters)`;
  }
  if (record.input !== undefined) return inputProblem(record.input);
  return undefined;
}

function inputProblem(input: InputImageStatistics): string | undefined {
  if (typeof input !== 'object' || input === null) return 'input must be an object of image statistics when given';
  if (!Number.isFinite(input.mean) || !Number.isFinite(input.std) || input.std < 0) return 'input.mean and input.std must be finite numbers (std ≥ 0)';
  if (!Number.isInteger(input.width) || !Number.isInteger(input.height) || input.width < 1 || input.height < 1) return 'input.width and input.height must be positive integers';
  if (!isFiniteNumberArray(input.histogram) || input.histogram.length !== INPUT_HISTOGRAM_BINS) return `input.histogram must be ${INPUT_HISTOGRAM_BINS} finite numbers`;
  return undefined;
}

function isFiniteNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((x) => typeof x === 'number' && Number.isFinite(x));
}
