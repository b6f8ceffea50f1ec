/** Where the image lands in the viewport: fitted, then zoomed about the centre and panned (CSS pixels). */
export interface Placement {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export function placeImage(view: { width: number; height: number }, image: { width: number; height: number }, zoom: number, pan: { x: number; y: number }): Placement {
  const fit = Math.min(view.width / image.width, view.height / image.height);
  const width = image.width * fit * zoom;
  const height = image.height * fit * zoom;
  return { x: (view.width - width) / 2 + pan.x, y: (view.height - height) / 2 + pan.y, width, height };
}

/**
 * A saliency map as RGBA: a blue→green→yellow→red ramp over the map's positive range (the regions
 * that support the class), transparent where the map is ≤ 0.
 */
export function saliencyColours(map: Float32Array, width: number, height: number): ImageData {
  let max = 0;
  for (const v of map) if (v > max) max = v;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < map.length; i++) {
    const t = max > 0 ? Math.max(0, map[i]!) / max : 0;
    const [r, g, b] = ramp(t);
    rgba[i * 4] = r;
    rgba[i * 4 + 1] = g;
    rgba[i * 4 + 2] = b;
    rgba[i * 4 + 3] = Math.round(255 * Math.min(1, t * 1.5));
  }
  return new ImageData(rgba, width, height);
}

function ramp(t: number): [number, number, number] {
  const stops: [number, number, number, number][] = [
    [0, 0, 0, 255],
    [0.35, 0, 220, 120],
    [0.65, 255, 230, 0],
    [1, 255, 0, 0],
  ];
  for (let i = 1; i < stops.length; i++) {
    const [t1, r1, g1, b1] = stops[i]!;
    const [t0, r0, g0, b0] = stops[i - 1]!;
    if (t <= t1) {
      const f = (t - t0) / (t1 - t0);
      return [r0 + (r1 - r0) * f, g0 + (g1 - g0) * f, b0 + (b1 - b0) * f];
    }
  }
  return [255, 0, 0];
}
