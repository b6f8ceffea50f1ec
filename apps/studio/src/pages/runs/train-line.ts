import type { ProgressLine, TrainLine } from '../../api/schemas.js';

/** A `cvf train --json` line that reports progress (not the summary or an error). */
export function isProgressLine(line: TrainLine): line is ProgressLine {
  return (line as { type?: unknown }).type === 'progress' && typeof (line as ProgressLine).stage === 'string';
}
