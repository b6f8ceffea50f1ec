import type { Rng } from '../../compute/random.js';

/**
 * The shapes of the synthetic classes many tests train on: a horizontal band through the middle,
 * a vertical one, a centred square — each symmetric under flips, and told apart by HOG and pixels.
 */
export const PATTERN_SHAPES = ['horizontal band', 'vertical band', 'square'] as const;
export type PatternShape = (typeof PATTERN_SHAPES)[number];

/** A noisy gray `size`×`size` picture of a shape whose half-width varies per picture; `noise` is the pixel noise's σ. */
export function patternPixels(shape: PatternShape, rng: Rng, { size = 16, noise = 20 }: { size?: number; noise?: number } = {}): Uint8Array {
  const pixels = new Uint8Array(size * size);
  const half = rng.int(1, 3);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [dx, dy] = [Math.abs(x - c), Math.abs(y - c)];
      const on = shape === 'horizontal band' ? dy < half : shape === 'vertical band' ? dx < half : Math.max(dx, dy) < half + 2;
      pixels[y * size + x] = Math.max(0, Math.min(255, (on ? 200 : 40) + Math.round(rng.normal() * noise)));
    }
  }
  return pixels;
}

/** An IDX file of bytes (the format of MNIST and Fashion-MNIST): magic (0, 0, 0x08 = u8, rank), big-endian dimensions, then the data. */
export function idxBytes(dims: readonly number[], data: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint8(2, 0x08);
  header.setUint8(3, dims.length);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(header.byteLength + data.length);
  out.set(new Uint8Array(header.buffer));
  out.set(data, header.byteLength);
  return out;
}
