import { MonitorError } from '../../errors.js';

/** A label fed back for one served prediction: what the model said and what the truth was. */
export interface FeedbackLabel {
  /** The id the edge runtime answered the prediction with. */
  readonly predictionId: string;
  readonly model: string;
  readonly version: string;
  /** The class the model predicted. */
  readonly predicted: string;
  /** The true class, as a reader or a later finding established it. */
  readonly label: string;
  /** When the label came back (ms since the epoch). */
  readonly time: number;
}

/** Where fed-back labels are kept (the SQLite tracking store implements it). */
export interface FeedbackStore {
  /** Stores labels in one transaction; a second label for the same prediction replaces the first (a correction). */
  recordFeedback(labels: readonly FeedbackLabel[]): Promise<{ stored: number; replaced: number }>;
  /** The most recent labels of `model` (of one of its versions, when given), newest first. */
  recentFeedback(model: string, limit: number, version?: string): Promise<FeedbackLabel[]>;
}

// Prediction ids are UUIDs from the edge runtime; any plain token up to 128 characters is taken.
const PREDICTION_ID = /^[\w.:-]{1,128}$/;

/** Throws MONITOR_FEEDBACK_INVALID unless `id` is a plain token. */
export function assertPredictionId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !PREDICTION_ID.test(id)) {
    throw new MonitorError('MONITOR_FEEDBACK_INVALID', `predictionId ${JSON.stringify(id)} is not a prediction id (letters, digits, "_", ".", ":" or "-", up to 128 characters)`);
  }
}

/** Throws MONITOR_FEEDBACK_INVALID unless `label` is one of the model's classes. */
export function assertFeedbackClass(label: unknown, classes: readonly string[]): asserts label is string {
  if (typeof label !== 'string' || !classes.includes(label)) {
    throw new MonitorError('MONITOR_FEEDBACK_INVALID', `label ${JSON.stringify(label)} is not a class of the model that made the prediction; classes: ${classes.join(', ')}`);
  }
}
