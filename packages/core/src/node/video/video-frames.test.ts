import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FFMPEG_PATH, ffmpegUnavailable, requireInCi, writeTestClip } from '../testing/index.js';
import { openVideoFrames, type VideoFrame } from './video-frames.js';

const skip = requireInCi('ffmpeg and ffprobe', ffmpegUnavailable());

async function collect(frames: AsyncIterable<VideoFrame>): Promise<VideoFrame[]> {
  const out: VideoFrame[] = [];
  for await (const frame of frames) out.push(frame);
  return out;
}

/** ffmpeg's own raw RGB decode of the whole file, frame after frame: what the pipe must carry. */
function referenceFrames(path: string, frameBytes: number): Uint8Array[] {
  const bytes = execFileSync(FFMPEG_PATH, ['-nostdin', '-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 64 << 20 });
  return Array.from({ length: bytes.length / frameBytes }, (_, i) => new Uint8Array(bytes.subarray(i * frameBytes, (i + 1) * frameBytes)));
}

/** ffmpeg processes whose command line names `path`. */
function ffmpegProcessesOn(path: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args[0] === FFMPEG_PATH && args.includes(path);
      } catch {
        return false; // gone while listing
      }
    })
    .map(Number);
}

describe.skipIf(skip)('openVideoFrames', () => {
  let dir: string;
  let testsrc: string;
  let colours: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-video-'));
    testsrc = join(dir, 'testsrc.mp4');
    writeTestClip(testsrc, { kind: 'testsrc', width: 64, height: 48, rate: 10, seconds: 2 });
    colours = join(dir, 'red-then-blue.webm');
    writeTestClip(colours, { kind: 'colors', colors: ['red', 'blue'], width: 32, height: 24, rate: 10, secondsEach: 1 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decodes every frame of a testsrc clip to the bytes of ffmpeg\'s own raw decode, with index and time from the frame rate', async () => {
    const video = await openVideoFrames(testsrc);
    expect(video.info).toMatchObject({ width: 64, height: 48, frameRate: 10, frameCount: 20 });
    expect(video.expectedFrames).toBe(20);
    const frames = await collect(video.frames);
    const reference = referenceFrames(testsrc, 64 * 48 * 3);
    expect(frames).toHaveLength(20);
    expect(reference).toHaveLength(20);
    frames.forEach((frame, i) => {
      expect(frame.index).toBe(i);
      expect(frame.time).toBeCloseTo(i / 10, 9);
      expect(frame.image.shape).toEqual([48, 64, 3]);
      expect(frame.image.data).toEqual(reference[i]);
    });
    // testsrc moves: the frames are not one picture repeated.
    expect(frames[0]!.image.data).not.toEqual(frames[5]!.image.data);
  });

  it('--every 3 gives frames 0, 3, …, 18, each the stream\'s frame of that index', async () => {
    const video = await openVideoFrames(testsrc, { every: 3 });
    expect(video.expectedFrames).toBe(7);
    const frames = await collect(video.frames);
    const reference = referenceFrames(testsrc, 64 * 48 * 3);
    expect(frames.map((f) => f.index)).toEqual([0, 3, 6, 9, 12, 15, 18]);
    expect(frames.map((f) => f.time)).toEqual([0, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8].map((t) => expect.closeTo(t, 9)));
    frames.forEach((frame) => expect(frame.image.data).toEqual(reference[frame.index]));
  });

  it('scales and converts to gray in ffmpeg; a colour change lands on the frame where it happens', async () => {
    const gray = await collect((await openVideoFrames(testsrc, { size: { width: 16, height: 12 }, channels: 1 })).frames);
    expect(gray).toHaveLength(20);
    expect(gray[0]!.image.shape).toEqual([12, 16, 1]);
    const frames = await collect((await openVideoFrames(colours, { size: { width: 8, height: 6 } })).frames);
    expect(frames).toHaveLength(20);
    const dominant = frames.map(({ image }) => {
      const [r, , b] = [0, 1, 2].map((c) => image.data.filter((_, i) => i % 3 === c).reduce((s, v) => s + v, 0));
      return r! > b! ? 'red' : 'blue';
    });
    expect(dominant).toEqual([...Array(10).fill('red'), ...Array(10).fill('blue')]);
  });

  it('a file that is not a video, a missing file and a stream without frames are clear errors', async () => {
    const text = join(dir, 'notes.mp4');
    writeFileSync(text, 'not a video\n');
    await expect(openVideoFrames(text)).rejects.toMatchObject({ code: 'VIDEO_UNREADABLE', message: expect.stringMatching(/notes\.mp4: ffprobe cannot read it: .*Invalid data/s) });
    await expect(openVideoFrames(join(dir, 'missing.mp4'))).rejects.toMatchObject({ code: 'VIDEO_UNREADABLE', message: expect.stringContaining('No such file or directory') });
    execFileSync(FFMPEG_PATH, ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'anullsrc', '-t', '0.5', join(dir, 'sound.wav')]);
    await expect(openVideoFrames(join(dir, 'sound.wav'))).rejects.toMatchObject({ code: 'VIDEO_UNREADABLE', message: expect.stringContaining('no video stream') });
    const empty = join(dir, 'empty.avi');
    execFileSync(FFMPEG_PATH, ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-frames:v', '0', empty]);
    const video = await openVideoFrames(empty);
    await expect(collect(video.frames)).rejects.toMatchObject({ code: 'VIDEO_NO_FRAMES', message: expect.stringContaining('empty.avi') });
  });

  it('missing ffmpeg or ffprobe is VIDEO_FFMPEG_MISSING naming the path; a bad --every is VIDEO_OPTION_INVALID', async () => {
    await expect(openVideoFrames(testsrc, { ffprobe: join(dir, 'no-ffprobe') })).rejects.toMatchObject({ code: 'VIDEO_FFMPEG_MISSING', message: expect.stringContaining('no-ffprobe') });
    const video = await openVideoFrames(testsrc, { ffmpeg: join(dir, 'no-ffmpeg') });
    await expect(collect(video.frames)).rejects.toMatchObject({ code: 'VIDEO_FFMPEG_MISSING', message: expect.stringContaining('apt-get install ffmpeg') });
    await expect(openVideoFrames(testsrc, { every: 0 })).rejects.toMatchObject({ code: 'VIDEO_OPTION_INVALID', message: expect.stringContaining('every 0') });
  });

  it('leaving the frames early or aborting kills ffmpeg', async () => {
    const long = join(dir, 'long.mkv');
    writeTestClip(long, { kind: 'testsrc', width: 320, height: 240, rate: 25, seconds: 12 });
    for await (const frame of (await openVideoFrames(long)).frames) {
      expect(frame.index).toBe(0);
      expect(ffmpegProcessesOn(long)).toHaveLength(1);
      break;
    }
    expect(ffmpegProcessesOn(long)).toEqual([]);

    const controller = new AbortController();
    const seen: number[] = [];
    const reading = (async () => {
      for await (const frame of (await openVideoFrames(long, { signal: controller.signal })).frames) {
        seen.push(frame.index);
        if (frame.index === 2) controller.abort(new Error('stopped by the test'));
      }
    })();
    await expect(reading).rejects.toThrow('stopped by the test');
    expect(seen.length).toBeLessThan(300);
    expect(ffmpegProcessesOn(long)).toEqual([]);
  });
});
