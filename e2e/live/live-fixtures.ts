import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Debian's ffmpeg, which makes the test's videos. */
export const FFMPEG = process.env.CVF_FFMPEG ?? '/usr/bin/ffmpeg';

/**
 * The fake camera's footage: ffmpeg's `testsrc` pattern (colour bars, a counter, a moving
 * gradient), 64×48 at 10 frames/s for 3 s, as the y4m file Chromium's
 * `--use-file-for-fake-video-capture` plays in a loop.
 */
export async function fakeCameraFile(dir: string): Promise<string> {
  const path = join(dir, 'fake-camera.y4m');
  await promisify(execFile)(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-t', '3', '-pix_fmt', 'yuv420p', path]);
  return path;
}

/** A video file to drop on the page: `testsrc2` at 160×120, 10 frames/s for 3 s, VP8 in WebM (what Debian's Chromium decodes). */
export async function droppedVideoFile(dir: string): Promise<{ name: string; path: string }> {
  const name = 'garment-belt.webm';
  const path = join(dir, name);
  await promisify(execFile)(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '3', '-c:v', 'libvpx', '-b:v', '200k', '-pix_fmt', 'yuv420p', path]);
  return { name, path };
}

/** The Chromium flags of a fake camera that plays `y4m`, allowed without a prompt. */
export function fakeCameraFlags(y4m: string, { allow }: { allow: boolean }): string[] {
  return ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`, ...(allow ? ['--use-fake-ui-for-media-stream'] : [])];
}
