import type { Device } from '@cvf/core';
import { frameTensor, toDisplay, type DisplayParams, type PixelArray } from '@cvf/medical';
import type { DecodedFrame } from '../../workers/decode-protocol.js';

/** A user's window in modality units (Hounsfield units for CT). */
export interface UserWindow {
  readonly center: number;
  readonly width: number;
}

/** The data set's display transform with the user's window (or preset) in place of its VOI. */
export function withWindow(params: DisplayParams, window: UserWindow | null, presetName?: string): DisplayParams {
  if (!window) return params;
  // LINEAR needs a width of at least 1 (PS3.3 C.11.2.1.2).
  const width = Math.max(1, window.width);
  return { ...params, voi: { kind: 'window', center: window.center, width, function: 'LINEAR', source: presetName ? 'preset' : 'override', ...(presetName ? { name: presetName } : {}) } };
}

/**
 * The window the image shows now, as centre/width in modality units: the data set's window, or —
 * for min–max and VOI LUT displays — the frame's modality-value range, where dragging starts from.
 */
export function effectiveWindow(params: DisplayParams, pixels: PixelArray): UserWindow {
  if (params.voi.kind === 'window') return { center: params.voi.center, width: params.voi.width };
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const { modality } = params;
  const [lo, hi] = modality.kind === 'rescale' ? [min * modality.slope + modality.intercept, max * modality.slope + modality.intercept].sort((a, b) => a - b) : [min, max];
  return { center: (lo! + hi!) / 2, width: Math.max(1, hi! - lo!) };
}

/**
 * One frame as RGBA for a canvas. Grayscale frames go through the DICOM display pipeline on the
 * Device (@cvf/medical's toDisplay: rescale or Modality LUT, window or VOI LUT on the window-level
 * kernel, MONOCHROME1 inverted); colour frames are shown as their samples.
 */
export async function renderFrame(device: Device, frame: DecodedFrame, params: DisplayParams | null): Promise<ImageData> {
  const { rows, columns, samplesPerPixel, pixels } = frame;
  const rgba = new Uint8ClampedArray(rows * columns * 4);
  if (samplesPerPixel === 1 && params) {
    const shown = await toDisplay(device, frameTensor({ rows, columns, samplesPerPixel: 1, data: [pixels] }), params);
    const values = (await device.read(shown)) as Float32Array;
    shown.dispose();
    for (let p = 0, d = 0; p < values.length; p++, d += 4) {
      const v = Math.round(values[p]! * 255);
      rgba[d] = v;
      rgba[d + 1] = v;
      rgba[d + 2] = v;
      rgba[d + 3] = 255;
    }
    return new ImageData(rgba, columns, rows);
  }
  interleavedToRgba(pixels, samplesPerPixel, rgba);
  return new ImageData(rgba, columns, rows);
}

/** Interleaved gray, gray+alpha, RGB or RGBA samples (8 or 16 bits) → RGBA bytes. */
function interleavedToRgba(pixels: PixelArray, channels: number, rgba: Uint8ClampedArray): void {
  const shift = pixels.BYTES_PER_ELEMENT > 1 ? 8 : 0;
  const pixelCount = rgba.length / 4;
  for (let p = 0; p < pixelCount; p++) {
    const s = p * channels;
    const d = p * 4;
    const value = (i: number) => (pixels[s + i]! >> shift) & 0xff;
    if (channels <= 2) {
      rgba[d] = rgba[d + 1] = rgba[d + 2] = value(0);
      rgba[d + 3] = channels === 2 ? value(1) : 255;
    } else {
      rgba[d] = value(0);
      rgba[d + 1] = value(1);
      rgba[d + 2] = value(2);
      rgba[d + 3] = channels === 4 ? value(3) : 255;
    }
  }
}
