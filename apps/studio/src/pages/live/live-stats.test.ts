import { describe, expect, it } from 'vitest';
import { achievedFrameRate, recentPoints, RATE_SECONDS } from './live-stats.js';

describe('achievedFrameRate', () => {
  it('is null until two frames span some time', () => {
    expect(achievedFrameRate([], 10)).toBeNull();
    expect(achievedFrameRate([9.5], 10)).toBeNull();
    expect(achievedFrameRate([9.5, 9.5], 10)).toBeNull();
  });

  it('counts the intervals between the frames of the last window over their span', () => {
    // Five frames 0.1 s apart: four intervals in 0.4 s.
    expect(achievedFrameRate([9.5, 9.6, 9.7, 9.8, 9.9], 10)).toBeCloseTo(10, 9);
  });

  it('forgets frames older than the window, so a slowdown shows', () => {
    const fast = Array.from({ length: 20 }, (_, i) => 5 + i * 0.05);
    const slow = [9, 9.5, 10];
    expect(achievedFrameRate([...fast, ...slow], 10)).toBeCloseTo(2, 9);
    expect(achievedFrameRate([...fast, ...slow], 10 + RATE_SECONDS)).toBeNull();
  });
});

describe('recentPoints', () => {
  it('keeps the points of the last seconds before the newest one', () => {
    const points = [0, 1, 2, 3, 4, 5].map((t) => ({ t, probabilities: [t] }));
    expect(recentPoints(points, 2).map((p) => p.t)).toEqual([3, 4, 5]);
    expect(recentPoints(points, 100)).toEqual(points);
    expect(recentPoints([], 2)).toEqual([]);
  });
});
