import { DicomWriteError } from '@cvf/core';

/** An image as the explanations see it: planar [channels, height, width], values on 0..1. */
export interface OverlayBaseImage {
  readonly data: Float32Array;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

/** A saliency map at the image's resolution, row-major: larger = more support for the class. */
export interface OverlayMap {
  readonly map: Float32Array;
  readonly height: number;
  readonly width: number;
}

/** The viewer's ramp (blue → green → yellow → red over the positive range), so the burnt-in overlay looks like the live one. */
const RAMP: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 0, 255],
  [0.35, 0, 220, 120],
  [0.65, 255, 230, 0],
  [1, 255, 0, 0],
];

function ramp(t: number): [number, number, number] {
  for (let i = 1; i < RAMP.length; i++) {
    const [t1, r1, g1, b1] = RAMP[i]!;
    const [t0, r0, g0, b0] = RAMP[i - 1]!;
    if (t <= t1) {
      const f = (t - t0) / (t1 - t0);
      return [r0 + (r1 - r0) * f, g0 + (g1 - g0) * f, b0 + (b1 - b0) * f];
    }
  }
  return [255, 0, 0];
}

const unitByte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));

/**
 * The image with its saliency map burnt in, as 8-bit RGB interleaved (what an RGB Secondary
 * Capture stores): each pixel blends the image (grey, or its own colour) with the ramp colour of
 * the map's positive part, the blend weight `opacity` × min(1, 1.5 t) as in the viewer, so regions
 * that do not support the class (map ≤ 0) keep the image as it is.
 */
export function burnSaliencyOverlay(image: OverlayBaseImage, saliency: OverlayMap, opacity = 0.5): Uint8Array {
  const { channels, height, width, data } = image;
  if (channels !== 1 && channels !== 3) throw new DicomWriteError(`an overlay needs a 1- or 3-channel image; got ${channels} channels`);
  if (data.length !== channels * height * width) throw new DicomWriteError(`the image has ${data.length} values; ${channels}×${height}×${width} needs ${channels * height * width}`);
  if (saliency.height !== height || saliency.width !== width || saliency.map.length !== height * width) {
    throw new DicomWriteError(`the saliency map is ${saliency.height}×${saliency.width} (${saliency.map.length} values); it must be the image's ${height}×${width}`);
  }
  if (!(opacity >= 0 && opacity <= 1)) throw new DicomWriteError(`overlay opacity ${opacity} must be in 0..1`);
  let max = 0;
  for (const v of saliency.map) if (v > max) max = v;
  const plane = height * width;
  const rgb = new Uint8Array(plane * 3);
  for (let i = 0; i < plane; i++) {
    const t = max > 0 ? Math.max(0, saliency.map[i]!) / max : 0;
    const alpha = opacity * Math.min(1, t * 1.5);
    const colour = ramp(t);
    for (let c = 0; c < 3; c++) {
      const base = 255 * Math.min(1, Math.max(0, data[(channels === 3 ? c * plane : 0) + i]!));
      rgb[i * 3 + c] = unitByte((base * (1 - alpha) + colour[c]! * alpha) / 255);
    }
  }
  return rgb;
}
