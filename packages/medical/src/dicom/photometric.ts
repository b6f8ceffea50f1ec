import type { CodecSamples } from './codecs/codec-frame.js';

/**
 * YCbCr → RGB for interleaved samples of `bits` bits (PS3.3 C.7.6.3.1.2), in place-free form: a
 * new array of the same type. Full range (YBR_FULL, YBR_FULL_422) uses the JPEG/JFIF equations;
 * partial range (YBR_PARTIAL_*) the ITU-R BT.601 ones. Results round half up and clamp.
 */
export function ybrToRgb(samples: CodecSamples, bits: number, range: 'full' | 'partial'): CodecSamples {
  const Ctor = samples.constructor as new (length: number) => CodecSamples;
  const out = new Ctor(samples.length);
  const max = 2 ** bits - 1;
  const half = 2 ** (bits - 1);
  // Partial range: luma from 16·2^(bits-8), chroma around `half`.
  const scale = 2 ** (bits - 8);
  const clamp = (v: number) => (v < 0 ? 0 : v > max ? max : v);
  if (range === 'full') {
    for (let i = 0; i + 2 < samples.length; i += 3) {
      const y = samples[i]!;
      const cb = samples[i + 1]! - half;
      const cr = samples[i + 2]! - half;
      out[i] = clamp(Math.floor(y + 1.402 * cr + 0.5));
      out[i + 1] = clamp(Math.floor(y - 0.344136 * cb - 0.714136 * cr + 0.5));
      out[i + 2] = clamp(Math.floor(y + 1.772 * cb + 0.5));
    }
  } else {
    for (let i = 0; i + 2 < samples.length; i += 3) {
      const y = 1.164383 * (samples[i]! - 16 * scale);
      const cb = samples[i + 1]! - half;
      const cr = samples[i + 2]! - half;
      out[i] = clamp(Math.floor(y + 1.596027 * cr + 0.5));
      out[i + 1] = clamp(Math.floor(y - 0.391762 * cb - 0.812968 * cr + 0.5));
      out[i + 2] = clamp(Math.floor(y + 2.017232 * cb + 0.5));
    }
  }
  return out;
}
