import { execFileSync } from 'node:child_process';
import { commandRuns } from './command.js';
import type { Availability } from './require-in-ci.js';

/** Debian's ffmpeg, which decodes video in `cvf predict` and makes the clips of the tests and benches. */
export const FFMPEG_PATH = '/usr/bin/ffmpeg';

/** Whether ffmpeg and ffprobe run here: `true`, or why not (for requireInCi). */
export function ffmpegUnavailable(): Availability {
  const ffmpeg = commandRuns(FFMPEG_PATH, ['-version']);
  return ffmpeg === true ? commandRuns('/usr/bin/ffprobe', ['-version']) : ffmpeg;
}

/** A clip made from ffmpeg's lavfi sources: the `testsrc` pattern, or solid colours one after another. */
export type TestClip =
  | { readonly kind: 'testsrc'; readonly width: number; readonly height: number; readonly rate: number; readonly seconds: number }
  | { readonly kind: 'colors'; readonly colors: readonly string[]; readonly width: number; readonly height: number; readonly rate: number; readonly secondsEach: number };

/** Writes `clip` to `path`; the container and codec follow the extension (ffmpeg's defaults: .mp4 H.264, .webm VP9, .avi MPEG-4, .mkv H.264). */
export function writeTestClip(path: string, clip: TestClip): void {
  const size = `${clip.width}x${clip.height}`;
  const inputs =
    clip.kind === 'testsrc'
      ? ['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${clip.rate}:duration=${clip.seconds}`]
      : clip.colors.flatMap((color) => ['-f', 'lavfi', '-i', `color=c=${color}:size=${size}:rate=${clip.rate}:duration=${clip.secondsEach}`]);
  const concat = clip.kind === 'colors' && clip.colors.length > 1 ? ['-filter_complex', `${clip.colors.map((_, i) => `[${i}:v]`).join('')}concat=n=${clip.colors.length}:v=1[v]`, '-map', '[v]'] : [];
  // yuv420p: what players and browsers take; a fixed GOP keeps the files reproducible.
  execFileSync(FFMPEG_PATH, ['-nostdin', '-v', 'error', '-y', ...inputs, ...concat, '-pix_fmt', 'yuv420p', '-g', '10', path], { stdio: ['ignore', 'ignore', 'pipe'] });
}
