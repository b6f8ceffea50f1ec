import { describe, expect, it } from 'vitest';
import { FeedBufferPool } from './feed-buffer-pool.js';

describe('FeedBufferPool', () => {
  it('hands a given buffer out again for the same length, and a new one for another length or when none is free', () => {
    const pool = new FeedBufferPool();
    const a = pool.take(12);
    pool.give(a);
    expect(pool.take(12)).toBe(a);
    expect(pool.take(12)).not.toBe(a);
    pool.give(a);
    expect(pool.take(24)).toHaveLength(24);
    expect(pool.kept).toBe(1);
  });

  it('drops what it cannot reuse whole: a detached buffer, a view into a larger one, another type', () => {
    const pool = new FeedBufferPool();
    const moved = new Float32Array(8);
    structuredClone(moved.buffer, { transfer: [moved.buffer] });
    pool.give(moved);
    pool.give(new Float32Array(16).subarray(8));
    pool.give(new Uint8Array(8));
    pool.give(new Float32Array(new ArrayBuffer(64), 0, 8));
    expect(pool.kept).toBe(0);
  });

  it('keeps at most perSize buffers of a length, and only the sizes used last', () => {
    const pool = new FeedBufferPool({ perSize: 2, sizes: 2 });
    const fours = [new Float32Array(4), new Float32Array(4), new Float32Array(4)];
    fours.forEach((b) => pool.give(b));
    expect(pool.kept).toBe(2);
    const taken = pool.take(4);
    pool.give(taken);
    pool.give(taken); // given twice, kept once
    expect(pool.kept).toBe(2);
    const five = new Float32Array(5);
    pool.give(five);
    pool.give(new Float32Array(6)); // a third size: the one used longest ago (4) goes
    expect(pool.kept).toBe(2);
    expect(fours).not.toContain(pool.take(4));
    expect(pool.take(5)).toBe(five);
  });
});
