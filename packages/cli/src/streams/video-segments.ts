/** One predicted frame of a video or cine: where it is and what the model said. */
export interface FrameLabel {
  /** 0-based index of the frame in the stream. */
  readonly index: number;
  /** Seconds from the start. */
  readonly time: number;
  readonly label: string;
  /** The probability of `label`. */
  readonly probability: number;
}

/** A run of consecutive predicted frames with the same label. */
export interface LabelSegment {
  readonly label: string;
  /** Time of its first frame, seconds. */
  readonly start: number;
  /** Time its last frame stands for until: that frame's time plus the step between predicted frames. */
  readonly end: number;
  readonly firstFrame: number;
  readonly lastFrame: number;
  /** Predicted frames in it. */
  readonly frames: number;
  /** Mean probability of the label over its frames. */
  readonly meanProbability: number;
}

/**
 * The segments where the label holds, in order: a new segment starts wherever the label of a
 * predicted frame differs from the one before it. `step` is the time between predicted frames
 * (every / frame rate), what the last frame of a segment covers.
 */
export function labelSegments(frames: readonly FrameLabel[], step: number): LabelSegment[] {
  const segments: LabelSegment[] = [];
  let run: FrameLabel[] = [];
  const close = () => {
    if (run.length === 0) return;
    const first = run[0]!;
    const last = run[run.length - 1]!;
    segments.push({
      label: first.label,
      start: first.time,
      end: last.time + step,
      firstFrame: first.index,
      lastFrame: last.index,
      frames: run.length,
      meanProbability: run.reduce((sum, f) => sum + f.probability, 0) / run.length,
    });
    run = [];
  };
  for (const frame of frames) {
    if (run.length > 0 && run[0]!.label !== frame.label) close();
    run.push(frame);
  }
  close();
  return segments;
}
