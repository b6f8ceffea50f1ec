import { describe, expect, it } from 'vitest';
import { Rng } from '../compute/random.js';
import { applyTemperature, fitTemperature } from './temperature.js';

function softmaxRows(logits: Float64Array, classes: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let base = 0; base < logits.length; base += classes) {
    const row = logits.subarray(base, base + classes);
    const top = Math.max(...row);
    const sum = row.reduce((s, z) => s + Math.exp(z - top), 0);
    row.forEach((z, c) => (out[base + c] = Math.exp(z - top) / sum));
  }
  return out;
}

describe('temperature scaling', () => {
  it('applyTemperature(softmax(z), T) is softmax(z / T) and keeps the argmax', () => {
    const z = Float64Array.of(2, -1, 0.5, 0, 3, -2);
    const scaled = applyTemperature(softmaxRows(z, 3), 3, 2.5);
    const want = softmaxRows(z.map((v) => v / 2.5), 3);
    scaled.forEach((p, i) => expect(p).toBeCloseTo(want[i]!, 6));
    expect(applyTemperature(softmaxRows(z, 3), 3, 1)).toEqual(softmaxRows(z, 3));
    expect(() => applyTemperature(want, 3, 0)).toThrow(/temperature 0/);
  });

  it('recovers the temperature that over-confident logits were sharpened by', () => {
    // Labels drawn from softmax(z); the model reports softmax(3z): the fitted T is about 3.
    const rng = new Rng(4);
    const rows = 4000;
    const classes = 4;
    const z = Float64Array.from({ length: rows * classes }, () => rng.normal());
    const truth = softmaxRows(z, classes);
    const labels = Int32Array.from({ length: rows }, (_, r) => {
      let u = rng.next();
      for (let c = 0; c < classes; c++) if ((u -= truth[r * classes + c]!) < 0) return c;
      return classes - 1;
    });
    const t = fitTemperature(softmaxRows(z.map((v) => 3 * v), classes), labels, classes);
    expect(t).toBeGreaterThan(2.7);
    expect(t).toBeLessThan(3.3);
    // Already calibrated: T ≈ 1.
    expect(fitTemperature(truth, labels, classes)).toBeCloseTo(1, 0);
  });

  it('copes with probabilities of exactly 0 and 1, and refuses no rows', () => {
    const t = fitTemperature(Float32Array.of(1, 0, 0, 1, 1, 0), Int32Array.of(0, 1, 1), 2);
    expect(Number.isFinite(t)).toBe(true);
    expect(() => fitTemperature(new Float32Array(0), new Int32Array(0), 2)).toThrow(/at least one/);
  });
});
