import type { ImageChannels } from './image-tensor.js';

type Samples = Uint8Array | Uint8ClampedArray | Uint16Array;

/**
 * Interleaved RGBA → the channels a file has: gray is R (decoders replicate gray into R, G and B),
 * alpha is A. Both decoders go through RGBA and this one function, so they agree by construction.
 */
export function rgbaToChannels(rgba: Uint8Array | Uint8ClampedArray, channels: ImageChannels): Uint8Array;
export function rgbaToChannels(rgba: Uint16Array, channels: ImageChannels): Uint16Array;
export function rgbaToChannels(rgba: Samples, channels: ImageChannels): Uint8Array | Uint16Array {
  const wide = rgba instanceof Uint16Array;
  if (channels === 4) return wide ? rgba : new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  const pixels = rgba.length / 4;
  const out = wide ? new Uint16Array(pixels * channels) : new Uint8Array(pixels * channels);
  for (let p = 0, s = 0, d = 0; p < pixels; p++, s += 4, d += channels) {
    out[d] = rgba[s]!;
    if (channels === 2) out[d + 1] = rgba[s + 3]!;
    else if (channels === 3) {
      out[d + 1] = rgba[s + 1]!;
      out[d + 2] = rgba[s + 2]!;
    }
  }
  return out;
}
