// A synthetic CT series for the DICOM benchmark: N frames of 512×512, 16 bits allocated, 12 stored,
// unsigned with Rescale Intercept -1024 (the usual CT encoding). Each slice is a body ellipse with
// lungs, a spine and a bone ring whose sizes change along z, plus seeded noise — so compressed
// codestreams have realistic sizes, not the trivial ones of a flat image.
import { buildPart10, imagePixelElements } from '@cvf/medical/testing';

export const SIZE = 512;

/** Stored values (HU + 1024) of slice z of n. */
export function phantomSlice(z: number, n: number, seed = 1): Uint16Array {
  const out = new Uint16Array(SIZE * SIZE);
  const t = n > 1 ? z / (n - 1) : 0.5;
  const bodyA = 220 - 30 * Math.abs(t - 0.5);
  const bodyB = 160 - 20 * Math.abs(t - 0.5);
  const lung = 0.55 + 0.25 * Math.sin(Math.PI * t);
  let state = (seed * 2654435761 + z * 40503) >>> 0;
  const noise = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return (state / 2 ** 32 - 0.5) * 40;
  };
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const dx = x - SIZE / 2;
      const dy = y - SIZE / 2;
      let hu = -1000;
      const body = (dx / bodyA) ** 2 + (dy / bodyB) ** 2;
      if (body < 1) {
        hu = 40;
        if (body > 0.85) hu = 700; // ribs
        const left = ((dx + bodyA * 0.45) / (bodyA * 0.35 * lung)) ** 2 + (dy / (bodyB * 0.6)) ** 2;
        const right = ((dx - bodyA * 0.45) / (bodyA * 0.35 * lung)) ** 2 + (dy / (bodyB * 0.6)) ** 2;
        if (left < 1 || right < 1) hu = -820;
        if (dx * dx + (dy - bodyB * 0.7) ** 2 < 18 ** 2) hu = 900; // spine
      }
      const value = Math.round(hu + 1024 + noise());
      out[y * SIZE + x] = value < 0 ? 0 : value > 4095 ? 4095 : value;
    }
  }
  return out;
}

/** The series as one multi-frame Explicit VR Little Endian file, and its slices. */
export function phantomSeries(frames: number): { file: Uint8Array; slices: Uint16Array[] } {
  const slices = Array.from({ length: frames }, (_, z) => phantomSlice(z, frames));
  const pixels = new Uint8Array(frames * SIZE * SIZE * 2);
  slices.forEach((s, z) => pixels.set(new Uint8Array(s.buffer), z * SIZE * SIZE * 2));
  return { file: buildPart10([...seriesElements(frames), { tag: '7FE00010', vr: 'OW', value: pixels }]), slices };
}

/** Everything but Pixel Data: SOP, modality, rescale, window and the Image Pixel module. */
export function seriesElements(frames: number) {
  return [
    { tag: '00080016', vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2.1' },
    { tag: '00080018', vr: 'UI', value: '1.2.826.0.1.3680043.10.1.7' },
    { tag: '00080060', vr: 'CS', value: 'CT' },
    { tag: '00281050', vr: 'DS', value: '40' },
    { tag: '00281051', vr: 'DS', value: '400' },
    { tag: '00281052', vr: 'DS', value: '-1024' },
    { tag: '00281053', vr: 'DS', value: '1' },
    ...imagePixelElements({ rows: SIZE, columns: SIZE, bitsAllocated: 16, bitsStored: 12, frames }),
  ];
}
