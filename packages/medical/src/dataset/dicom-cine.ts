import { DicomError, type DecodedInput, type DicomInputOptions } from '@cvf/core';
import type { DicomFile } from '../dicom/dicom-file.js';
import { Tag } from '../dicom/tags.js';
import { decodeDicomFile } from './dicom-input-decoder.js';

/** One frame of a cine: its 0-based index, its time from the first frame, and the image as `decodeInput` would give it. */
export interface CineFrame {
  readonly index: number;
  readonly time: number;
  readonly image: DecodedInput;
}

/** A multi-frame DICOM image with frame timing (ultrasound, angiography, endoscopy clips), read frame by frame. */
export interface DicomCine {
  readonly frameCount: number;
  /** Seconds from the first frame to each frame. */
  readonly times: readonly number[];
  /** Frames per second on average (frames − 1 over the clip's span), for display. */
  readonly frameRate: number;
  /**
   * Frames 0, every, 2·every, … decoded one at a time as they are consumed (through the same
   * display pipeline as `dicomInputDecoder`: a grayscale frame stays on `options.device`); the
   * consumer frees each with `disposeDecodedInput`.
   */
  frames(options: DicomInputOptions & { readonly every?: number }): AsyncIterable<CineFrame>;
}

/**
 * Seconds of each frame from the Cine module: Frame Time Vector (ms between a frame and the one
 * before it, the first 0), else Frame Time (ms per frame), else Cine Rate or Recommended Display
 * Frame Rate (frames per second). Undefined when the file gives none.
 */
function frameTimes(file: DicomFile, count: number): number[] | undefined {
  const vector = file.numbers(Tag.FrameTimeVector);
  if (vector.length > 0) {
    if (vector.length !== count) throw new DicomError('DICOM_MALFORMED', `Frame Time Vector has ${vector.length} values, but Number of Frames is ${count}`);
    let elapsed = 0;
    return vector.map((ms, i) => (elapsed += i === 0 ? 0 : ms / 1000));
  }
  const frameTime = file.number(Tag.FrameTime);
  const perSecond = file.number(Tag.CineRate) ?? file.number(Tag.RecommendedDisplayFrameRate);
  const step = frameTime !== undefined && frameTime > 0 ? frameTime / 1000 : perSecond !== undefined && perSecond > 0 ? 1 / perSecond : undefined;
  return step === undefined ? undefined : Array.from({ length: count }, (_, i) => i * step);
}

/**
 * The cine of a parsed DICOM file: more than one frame and a frame timing (Frame Time, Frame Time
 * Vector, Cine Rate or Recommended Display Frame Rate). Null for a single frame, and for frames
 * without timing (a CT or MR volume stored as one multi-frame object is not a clip).
 */
export function dicomCine(file: DicomFile): DicomCine | null {
  const frameCount = file.number(Tag.NumberOfFrames) ?? 1;
  if (frameCount < 2) return null;
  const times = frameTimes(file, frameCount);
  if (!times) return null;
  const span = times[times.length - 1]! - times[0]!;
  return {
    frameCount,
    times,
    frameRate: span > 0 ? (frameCount - 1) / span : 0,
    frames: ({ every = 1, ...options }) => ({
      async *[Symbol.asyncIterator]() {
        if (!Number.isInteger(every) || every < 1) throw new DicomError('DICOM_FRAME_OUT_OF_RANGE', `every ${every}: give a positive integer (1 reads every frame, N every Nth)`);
        for (let index = 0; index < frameCount; index += every) yield { index, time: times[index]!, image: await decodeDicomFile(file, options, index) };
      },
    }),
  };
}
