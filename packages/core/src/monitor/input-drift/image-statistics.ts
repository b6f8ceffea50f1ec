import type { Device } from '../../compute/device.js';
import { decodedInputSize, isDeviceImage, type DecodedInput } from '../../image/decoded-input.js';
import { imageSize } from '../../image/image-tensor.js';

/** Bins of the intensity histogram, evenly over 0..1 of the scaled values (values outside fall in the end bins). */
export const INPUT_HISTOGRAM_BINS = 32;

/**
 * What one image looked like before the extractor saw it, in a few numbers (never pixels): the
 * intensity mean and spread, the share of its values in each histogram bin, and its size. Values
 * are the decoded (for DICOM: windowed) values times preprocessing's `normalize.scale`, so the
 * default scale (1/255) puts an 8-bit image and a windowed DICOM frame on 0..1 alike.
 */
export interface InputImageStatistics {
  readonly mean: number;
  /** Population standard deviation of the values. */
  readonly std: number;
  /** INPUT_HISTOGRAM_BINS shares that sum to 1. */
  readonly histogram: readonly number[];
  readonly width: number;
  readonly height: number;
}

/**
 * The statistics of an image as preprocessing receives it: colour channels only (alpha left
 * out), all pooled. A device image (values 0..1 for a 'unit' range) is read back once; its range
 * is folded in as preprocessing folds it (×255), so both kinds of input give the same numbers.
 */
export async function inputImageStatistics(device: Device, input: DecodedInput, scale: number): Promise<InputImageStatistics> {
  const { height, width } = decodedInputSize(input);
  if (isDeviceImage(input)) {
    const values = (await device.read(input.planar)) as Float32Array;
    return statisticsOf(values, 0, 1, scale * (input.range === 'unit' ? 255 : 1), width, height);
  }
  const { channels } = imageSize(input);
  const colour = channels <= 2 ? 1 : 3;
  return statisticsOf(input.data, channels, colour, scale, width, height);
}

/**
 * One pass over the values, float64 sums. `stride` 0 means every value counts (planar colour
 * channels); otherwise the first `colour` of every `stride` values count (interleaved, alpha last).
 * 8- and 16-bit values are first counted per raw value, and the sums and bins taken from those
 * counts: a served request pays a few table lookups per pixel, not a multiply and a floor each.
 */
function statisticsOf(data: ArrayLike<number>, stride: number, colour: number, scale: number, width: number, height: number): InputImageStatistics {
  const counts = new Float64Array(INPUT_HISTOGRAM_BINS);
  let sum = 0;
  let sumSquares = 0;
  let n = 0;
  const add = (raw: number, times: number): void => {
    const v = raw * scale;
    sum += v * times;
    sumSquares += v * v * times;
    n += times;
    counts[Math.min(INPUT_HISTOGRAM_BINS - 1, Math.max(0, Math.floor(v * INPUT_HISTOGRAM_BINS)))]! += times;
  };
  const step = stride === 0 ? 1 : stride;
  const perStep = stride === 0 ? 1 : colour;
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray || data instanceof Uint16Array) {
    const perValue = new Uint32Array(data instanceof Uint16Array ? 65536 : 256);
    for (let i = 0; i < data.length; i += step) for (let c = 0; c < perStep; c++) perValue[data[i + c]!]!++;
    perValue.forEach((times, raw) => times > 0 && add(raw, times));
  } else {
    // Float values: the same sums as `add`, inlined (a closure's captured sums cost ~4 ns a value).
    const top = INPUT_HISTOGRAM_BINS - 1;
    for (let i = 0; i < data.length; i += step) {
      for (let c = 0; c < perStep; c++) {
        const v = data[i + c]! * scale;
        sum += v;
        sumSquares += v * v;
        n++;
        const bin = Math.floor(v * INPUT_HISTOGRAM_BINS);
        counts[bin < 0 ? 0 : bin > top ? top : bin]!++;
      }
    }
  }
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 0 ? Math.max(0, sumSquares / n - mean * mean) : 0;
  return { mean, std: Math.sqrt(variance), histogram: Array.from(counts, (c) => (n > 0 ? c / n : 0)), width, height };
}
