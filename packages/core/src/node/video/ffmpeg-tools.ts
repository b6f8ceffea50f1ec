import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { VideoError } from './video-error.js';

/** Where ffmpeg and ffprobe are: Debian's by default (`apt-get install ffmpeg`). */
export interface FfmpegTools {
  readonly ffmpeg?: string;
  readonly ffprobe?: string;
}

export const DEFAULT_FFMPEG = '/usr/bin/ffmpeg';
export const DEFAULT_FFPROBE = '/usr/bin/ffprobe';

/** The most of a tool's stderr kept for an error message: its last lines say what went wrong. */
const STDERR_KEPT = 4096;

/** A running ffmpeg or ffprobe: its stdout, and its exit with the tail of its stderr. */
export interface ToolProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Resolves when the process is gone: its exit code (null when killed) and the end of its stderr. */
  readonly exited: Promise<{ code: number | null; stderr: string }>;
}

/**
 * Starts `tool` with `args`, stdin closed. A tool that is not there (or not executable) rejects
 * `exited` with VIDEO_FFMPEG_MISSING naming the path and how to install it.
 */
export function startTool(tool: string, args: readonly string[]): ToolProcess {
  const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_KEPT);
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EACCES') reject(new VideoError('VIDEO_FFMPEG_MISSING', `${tool} is not there (${error.code}): video is decoded by ffmpeg; install it (Debian: apt-get install ffmpeg) or point to it`, { cause: error }));
      else reject(error);
    });
    child.once('close', (code) => resolve({ code, stderr: stderr.trim() }));
  });
  // A caller that never awaits `exited` (it killed the tool) must not leave an unhandled rejection.
  exited.catch(() => undefined);
  return { child, exited };
}
