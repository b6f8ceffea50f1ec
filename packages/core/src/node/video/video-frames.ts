import { imageTensor, type ImageTensor } from '../../image/image-tensor.js';
import { DEFAULT_FFMPEG, startTool, type FfmpegTools } from './ffmpeg-tools.js';
import { probeVideo, type VideoInfo } from './probe-video.js';
import { VideoError } from './video-error.js';

export interface VideoFramesOptions extends FfmpegTools {
  /** Every Nth frame is decoded out (frames 0, N, 2N, ...); default 1, every frame. */
  readonly every?: number;
  /** Scale frames to this size in ffmpeg (bilinear), e.g. the model's input size: less to move through the pipe. Default: as stored. */
  readonly size?: { readonly width: number; readonly height: number };
  /** 3: RGB (`rgb24`, default); 1: gray (`gray`, BT.601 luma). */
  readonly channels?: 1 | 3;
  /** Stops decoding: ffmpeg is killed and the iteration ends with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** One decoded frame: its index in the stream, its time, and its pixels ([height, width, channels] u8). */
export interface VideoFrame {
  readonly index: number;
  /** Seconds from the start: index / frame rate. */
  readonly time: number;
  readonly image: ImageTensor<'u8'>;
}

/** A video being decoded: what ffprobe said of it, and its frames in order. */
export interface VideoFrames {
  readonly info: VideoInfo;
  /** Frames that will come out (every Nth of the stream), when the container gives a frame count. */
  readonly expectedFrames?: number;
  readonly frames: AsyncIterable<VideoFrame>;
}

/**
 * Decodes a video file with ffmpeg into raw frames on a pipe (`-f rawvideo`), nothing on disk:
 * ffprobe first for the size and frame rate (each frame's time), then ffmpeg with a `select`
 * filter for every Nth frame and a `scale` filter for `size`. The pipe is read as the frames are
 * consumed, so a slow consumer pauses ffmpeg (back-pressure) instead of buffering the video.
 * Leaving the iteration early, or `signal`, kills ffmpeg.
 *
 * Throws VideoError: VIDEO_FFMPEG_MISSING, VIDEO_UNREADABLE (ffmpeg's stderr in the message),
 * VIDEO_NO_FRAMES, VIDEO_OPTION_INVALID (`every` not a positive integer, a size below 1).
 */
export async function openVideoFrames(path: string, options: VideoFramesOptions = {}): Promise<VideoFrames> {
  const every = options.every ?? 1;
  if (!Number.isInteger(every) || every < 1) throw new VideoError('VIDEO_OPTION_INVALID', `every ${every}: give a positive integer (1 decodes every frame, N every Nth)`);
  const { size } = options;
  if (size && !(Number.isInteger(size.width) && Number.isInteger(size.height) && size.width >= 1 && size.height >= 1)) {
    throw new VideoError('VIDEO_OPTION_INVALID', `frame size ${size.width}×${size.height}: width and height must be positive integers`);
  }
  const info = await probeVideo(path, options);
  const expectedFrames = info.frameCount === undefined ? undefined : Math.ceil(info.frameCount / every);
  return { info, ...(expectedFrames !== undefined && { expectedFrames }), frames: decodeFrames(path, info, { ...options, every }) };
}

async function* decodeFrames(path: string, info: VideoInfo, options: VideoFramesOptions & { every: number }): AsyncGenerator<VideoFrame> {
  const { every, signal } = options;
  const channels = options.channels ?? 3;
  const width = options.size?.width ?? info.width;
  const height = options.size?.height ?? info.height;
  const filters = [...(every > 1 ? [`select=not(mod(n\\,${every}))`] : []), ...(options.size ? [`scale=${width}:${height}:flags=bilinear`] : [])];
  signal?.throwIfAborted();
  const { child, exited } = startTool(options.ffmpeg ?? DEFAULT_FFMPEG, [
    '-nostdin', '-v', 'error',
    '-i', path,
    '-map', '0:v:0',
    ...(filters.length ? ['-vf', filters.join(',')] : []),
    // One output frame per selected input frame: no duplicates to fill the gaps `select` leaves.
    '-fps_mode', 'passthrough',
    '-f', 'rawvideo', '-pix_fmt', channels === 3 ? 'rgb24' : 'gray',
    'pipe:1',
  ]);
  const kill = () => child.kill('SIGKILL');
  signal?.addEventListener('abort', kill, { once: true });
  const frameBytes = width * height * channels;
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  let count = 0;
  let finished = false;
  try {
    // The async iterator reads the pipe only when asked: an unread frame leaves ffmpeg blocked on a full pipe.
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(frameBytes - filled, chunk.length - offset);
        frame.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled < frameBytes) continue;
        const index = count * every;
        yield { index, time: index / info.frameRate, image: imageTensor('u8', { height, width, channels }, frame) };
        count++;
        frame = new Uint8Array(frameBytes);
        filled = 0;
      }
    }
    signal?.throwIfAborted();
    const { code, stderr } = await exited;
    // A stream without frames makes ffmpeg fail too ("cannot determine format ... after EOF"): no frames is the clearer cause.
    if (count === 0) throw new VideoError('VIDEO_NO_FRAMES', `${path}: the video stream gave no frames${stderr ? ` (ffmpeg: ${stderr})` : ''}`);
    if (code !== 0) throw new VideoError('VIDEO_UNREADABLE', `${path}: ffmpeg could not decode it (exit code ${code}) after ${count} frame(s): ${stderr || 'no message'}`);
    finished = true;
  } finally {
    signal?.removeEventListener('abort', kill);
    if (!finished) {
      kill();
      await exited.catch(() => undefined);
    }
  }
}
