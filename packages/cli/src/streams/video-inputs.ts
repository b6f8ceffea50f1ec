import { readRegularFile } from '@cvf/core/node';
import { dicomCine, parseDicom } from '@cvf/medical';
import { extname } from 'node:path';
import type { PredictInput } from '../commands/predict-inputs.js';

/** Containers `cvf predict` hands to ffmpeg as videos. */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set(['.mp4', '.webm', '.avi', '.mkv', '.mov']);

/** An input predicted frame by frame: a video file (ffmpeg), or a multi-frame DICOM with frame timing (cine). */
export interface StreamInput {
  readonly file: string;
  readonly kind: 'video' | 'cine';
}

const isPart10 = (bytes: Uint8Array) => bytes.length > 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;

/** Whether a file is a DICOM cine; a file that cannot be read or parsed is left to the image path, which reports it. */
async function isCine(file: string): Promise<boolean> {
  const extension = extname(file).toLowerCase();
  if (extension !== '' && extension !== '.dcm' && extension !== '.dicom') return false;
  try {
    const bytes = await readRegularFile(file, { what: 'image' });
    return isPart10(bytes) && dicomCine(parseDicom(bytes)) !== null;
  } catch {
    return false;
  }
}

/**
 * The inputs of `cvf predict` that are streams — videos by extension, DICOM files with several
 * timed frames — and the rest (images, and inputs that already carry an error), each in order.
 */
export async function splitStreamInputs(inputs: readonly PredictInput[]): Promise<{ streams: StreamInput[]; images: PredictInput[] }> {
  const streams: StreamInput[] = [];
  const images: PredictInput[] = [];
  for (const input of inputs) {
    if ('error' in input) images.push(input);
    else if (VIDEO_EXTENSIONS.has(extname(input.file).toLowerCase())) streams.push({ file: input.file, kind: 'video' });
    else if (await isCine(input.file)) streams.push({ file: input.file, kind: 'cine' });
    else images.push(input);
  }
  return { streams, images };
}
