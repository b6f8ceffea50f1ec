import { CvfError } from '../../errors.js';

/**
 * Stable codes of video decoding: no ffmpeg/ffprobe where it was looked for (VIDEO_FFMPEG_MISSING),
 * a file ffmpeg cannot read or that holds no video stream (VIDEO_UNREADABLE, ffmpeg's own words in
 * the message), a stream that gave no frame (VIDEO_NO_FRAMES), an option out of range (VIDEO_OPTION_INVALID).
 */
export type VideoErrorCode = 'VIDEO_FFMPEG_MISSING' | 'VIDEO_UNREADABLE' | 'VIDEO_NO_FRAMES' | 'VIDEO_OPTION_INVALID';

export class VideoError extends CvfError {
  declare readonly code: VideoErrorCode;
  constructor(code: VideoErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
