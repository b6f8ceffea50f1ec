/** One inferred frame on the rolling chart: seconds since the stream started, and every class's probability. */
export interface LivePoint {
  readonly t: number;
  readonly probabilities: readonly number[];
}

/** The seconds the probability chart looks back. */
export const CHART_SECONDS = 30;

/** The seconds the achieved frame rate is averaged over: long enough to be steady, short enough to follow a change. */
export const RATE_SECONDS = 2;

/**
 * Frames per second achieved from the completion times (seconds, ascending) of the frames inferred
 * so far: the frames completed in the last `RATE_SECONDS` over the time they span; null until two
 * frames give a span.
 */
export function achievedFrameRate(completions: readonly number[], now: number): number | null {
  const recent = completions.filter((t) => t > now - RATE_SECONDS && t <= now);
  if (recent.length < 2) return null;
  const span = recent[recent.length - 1]! - recent[0]!;
  return span > 0 ? (recent.length - 1) / span : null;
}

/** The points of the last `seconds` before the newest one: what the chart shows and the page keeps. */
export function recentPoints<T extends { readonly t: number }>(points: readonly T[], seconds: number): T[] {
  const newest = points[points.length - 1];
  if (!newest) return [];
  const from = newest.t - seconds;
  const first = points.findIndex((p) => p.t >= from);
  return points.slice(first);
}
