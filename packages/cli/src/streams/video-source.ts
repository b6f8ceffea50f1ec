import { DicomError, type Bundle, type DecodedInput, type Device } from '@cvf/core';
import { openVideoFrames, readRegularFile } from '@cvf/core/node';
import { dicomCine, parseDicom } from '@cvf/medical';
import type { StreamInput } from './video-inputs.js';

/** One frame on its way to the Predictor. */
export interface SourceFrame {
  readonly index: number;
  readonly time: number;
  readonly image: DecodedInput;
}

/** The frames of a video or cine, every Nth, with what is known of the stream. */
export interface FrameSource {
  /** Frames per second of the stream. */
  readonly frameRate: number;
  /** Frames that will come out, when known (a progress bar's total). */
  readonly expectedFrames?: number;
  readonly frames: AsyncIterable<SourceFrame>;
}

/**
 * Opens a stream input for `bundle`: a video through ffmpeg, scaled by ffmpeg to the model's input
 * size (`preprocess.resize`) in the model's colours (gray or RGB), so the pipe carries no more than
 * the model reads; a DICOM cine frame by frame through @cvf/medical's decode and display pipeline
 * (the bundle's `preprocess.window`), as `decodeInput` decodes a single-frame file.
 */
export async function openFrameSource(input: StreamInput, bundle: Bundle, options: { readonly device: Device; readonly every: number; readonly signal?: AbortSignal }): Promise<FrameSource> {
  const { resize, color, window } = bundle.manifest.preprocess;
  if (input.kind === 'video') {
    const video = await openVideoFrames(input.file, {
      every: options.every,
      size: { width: resize.width, height: resize.height },
      channels: color === 'rgb' ? 3 : 1,
      ...(options.signal && { signal: options.signal }),
    });
    return { frameRate: video.info.frameRate, ...(video.expectedFrames !== undefined && { expectedFrames: video.expectedFrames }), frames: video.frames };
  }
  const cine = dicomCine(parseDicom(await readRegularFile(input.file, { what: 'image' })));
  if (!cine) throw new DicomError('DICOM_MALFORMED', `${input.file}: no longer a cine (several frames with a Frame Time, Frame Time Vector or Cine Rate)`);
  return {
    frameRate: cine.frameRate,
    expectedFrames: Math.ceil(cine.frameCount / options.every),
    frames: cine.frames({ device: options.device, every: options.every, ...(window && { window }) }),
  };
}
