import { DEFAULT_FFPROBE, startTool, type FfmpegTools } from './ffmpeg-tools.js';
import { VideoError } from './video-error.js';

/** What ffprobe says of a file's first video stream. */
export interface VideoInfo {
  readonly width: number;
  readonly height: number;
  /** Frames per second (the stream's average frame rate, else its base rate): frame n is at n / frameRate seconds. */
  readonly frameRate: number;
  /** Frames in the stream, when the container says (not every one does). */
  readonly frameCount?: number;
  /** Seconds, when known. */
  readonly duration?: number;
}

interface ProbeOutput {
  streams?: { width?: number; height?: number; avg_frame_rate?: string; r_frame_rate?: string; nb_frames?: string; duration?: string }[];
  format?: { duration?: string };
}

/** `30000/1001` → 29.97; `0/0` or garbage → undefined. */
function rate(text: string | undefined): number | undefined {
  const [num, den] = (text ?? '').split('/').map(Number);
  const value = den === undefined ? num : num! / den;
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

function positive(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * The size and frame rate of `path`'s first video stream, from ffprobe. Throws VideoError
 * VIDEO_UNREADABLE with ffprobe's message for a file it cannot read, and for one with no video
 * stream or no frame rate; VIDEO_FFMPEG_MISSING when ffprobe is not there.
 */
export async function probeVideo(path: string, tools: FfmpegTools = {}): Promise<VideoInfo> {
  const { child, exited } = startTool(tools.ffprobe ?? DEFAULT_FFPROBE, [
    '-v', 'error',
    '-select_streams', 'v:0',
    '-show_entries', 'stream=width,height,avg_frame_rate,r_frame_rate,nb_frames,duration:format=duration',
    '-of', 'json',
    path,
  ]);
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => (stdout += text));
  const { code, stderr } = await exited;
  if (code !== 0) throw new VideoError('VIDEO_UNREADABLE', `${path}: ffprobe cannot read it: ${stderr || `exit code ${code}`}`);
  const probe = JSON.parse(stdout) as ProbeOutput;
  const stream = probe.streams?.[0];
  if (!stream?.width || !stream.height) throw new VideoError('VIDEO_UNREADABLE', `${path}: no video stream (ffprobe finds none); give a video file (.mp4, .webm, .avi, .mkv, ...)`);
  const frameRate = rate(stream.avg_frame_rate) ?? rate(stream.r_frame_rate);
  if (frameRate === undefined) throw new VideoError('VIDEO_UNREADABLE', `${path}: the video stream has no frame rate (avg_frame_rate ${stream.avg_frame_rate}, r_frame_rate ${stream.r_frame_rate}), so its frames have no times`);
  const frameCount = positive(stream.nb_frames);
  const duration = positive(stream.duration) ?? positive(probe.format?.duration);
  return { width: stream.width, height: stream.height, frameRate, ...(frameCount !== undefined && { frameCount }), ...(duration !== undefined && { duration }) };
}
