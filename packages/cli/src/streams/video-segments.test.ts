import { describe, expect, it } from 'vitest';
import { labelSegments, type FrameLabel } from './video-segments.js';

const frame = (index: number, label: string, probability: number): FrameLabel => ({ index, time: index / 10, label, probability });

describe('labelSegments', () => {
  it('splits where the label changes, with start/end times, frame counts and mean probabilities', () => {
    const frames = [frame(0, 'red', 0.9), frame(2, 'red', 0.7), frame(4, 'blue', 0.6), frame(6, 'blue', 1), frame(8, 'red', 0.5)];
    expect(labelSegments(frames, 0.2)).toEqual([
      { label: 'red', start: 0, end: expect.closeTo(0.4, 9), firstFrame: 0, lastFrame: 2, frames: 2, meanProbability: expect.closeTo(0.8, 9) },
      { label: 'blue', start: 0.4, end: expect.closeTo(0.8, 9), firstFrame: 4, lastFrame: 6, frames: 2, meanProbability: expect.closeTo(0.8, 9) },
      { label: 'red', start: 0.8, end: expect.closeTo(1, 9), firstFrame: 8, lastFrame: 8, frames: 1, meanProbability: 0.5 },
    ]);
  });

  it('one label throughout is one segment; no frames, none', () => {
    expect(labelSegments([frame(0, 'a', 1), frame(1, 'a', 0.5)], 0.1)).toEqual([{ label: 'a', start: 0, end: expect.closeTo(0.2, 9), firstFrame: 0, lastFrame: 1, frames: 2, meanProbability: 0.75 }]);
    expect(labelSegments([], 0.1)).toEqual([]);
  });
});
