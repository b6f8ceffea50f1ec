import { describe, expect, it } from 'vitest';
import type { DisplayParams } from '@cvf/medical';
import { effectiveWindow, withWindow } from './render-frame.js';
import { placeImage } from './viewport-drawing.js';

const ct: DisplayParams = { modality: { kind: 'rescale', slope: 1, intercept: -1024 }, voi: { kind: 'min-max' }, invert: false, warnings: [] };

describe('windowing', () => {
  it("the user's window replaces the VOI and keeps the rescale and MONOCHROME1 inversion", () => {
    const params = withWindow({ ...ct, invert: true }, { center: -600, width: 1500 }, 'lung');
    expect(params.voi).toEqual({ kind: 'window', center: -600, width: 1500, function: 'LINEAR', source: 'preset', name: 'lung' });
    expect(params.modality).toEqual(ct.modality);
    expect(params.invert).toBe(true);
    expect(withWindow(ct, null)).toBe(ct);
  });

  it('a dragged width below 1 is held at 1, the LINEAR minimum', () => {
    expect(withWindow(ct, { center: 0, width: 0.2 }).voi).toMatchObject({ width: 1, source: 'override' });
  });

  it("the window shown for min–max is the frame's range in modality units", () => {
    expect(effectiveWindow(ct, Int16Array.from([0, 1024, 2024]))).toEqual({ center: -12, width: 2024 });
    expect(effectiveWindow({ ...ct, voi: { kind: 'window', center: 40, width: 80, function: 'LINEAR', source: 'dataset' } }, Int16Array.from([0]))).toEqual({ center: 40, width: 80 });
  });
});

describe('placeImage', () => {
  it('fits the image into the view, centred, then zooms and pans', () => {
    expect(placeImage({ width: 400, height: 200 }, { width: 100, height: 100 }, 1, { x: 0, y: 0 })).toEqual({ x: 100, y: 0, width: 200, height: 200 });
    expect(placeImage({ width: 400, height: 200 }, { width: 100, height: 100 }, 2, { x: 10, y: -5 })).toEqual({ x: 10, y: -105, width: 400, height: 400 });
  });
});
