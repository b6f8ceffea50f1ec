import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../../cpu-device.js';
import { Tensor } from '../../tensor.js';
import { dropout } from './dropout.js';

const cpu = new CpuDevice();
const n = 100_000;
const ones = Tensor.cpu('f32', [n], new Float32Array(n).fill(1));

describe('dropout mask statistics', () => {
  it('drops a fraction p of the elements and keeps the mean (inverted dropout)', () => {
    for (const p of [0.1, 0.5, 0.8]) {
      const out = cpu.runSync(dropout, { x: ones }, { p, seed: 42 }).out.data as Float32Array;
      const dropped = out.filter((v) => v === 0).length / n;
      const mean = out.reduce((s, v) => s + v, 0) / n;
      expect(Math.abs(dropped - p), `p = ${p}`).toBeLessThan(0.01);
      expect(Math.abs(mean - 1), `p = ${p}`).toBeLessThan(0.03);
    }
  });

  it('different seeds give nearly independent masks', () => {
    const a = cpu.runSync(dropout, { x: ones }, { p: 0.5, seed: 1 }).out.data as Float32Array;
    const b = cpu.runSync(dropout, { x: ones }, { p: 0.5, seed: 2 }).out.data as Float32Array;
    const both = a.filter((v, i) => v !== 0 && b[i] !== 0).length / n;
    expect(Math.abs(both - 0.25)).toBeLessThan(0.01);
  });
});
