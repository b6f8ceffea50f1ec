import type { SaliencyMap } from '@cvf/core';

/** A saliency map's values in a few numbers: their range and mean, the peak's pixel, the share of pixels that support the class (> 0). */
export interface MapSummary {
  min: number;
  max: number;
  mean: number;
  peak: { x: number; y: number };
  positiveShare: number;
}

export function mapSummary({ map, width }: Pick<SaliencyMap, 'map' | 'width'>): MapSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let peak = 0;
  let positive = 0;
  map.forEach((value, i) => {
    if (value < min) min = value;
    if (value > max) [max, peak] = [value, i];
    sum += value;
    if (value > 0) positive++;
  });
  return { min, max, mean: sum / map.length, peak: { x: peak % width, y: Math.floor(peak / width) }, positiveShare: positive / map.length };
}
