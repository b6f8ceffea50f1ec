import { describe, expect, it } from 'vitest';
import { Rng } from '../../compute/random.js';
import { KeyHeap } from './key-heap.js';

/** Empties a heap by pops: its pairs, best first. */
function drain(heap: KeyHeap): string[] {
  const out: string[] = [];
  while (heap.size > 0) {
    out.push(`${heap.topKey()}:${heap.topNode()}`);
    heap.pop();
  }
  return out;
}

describe('KeyHeap', () => {
  it('pops pairs largest key first', () => {
    const rng = new Rng(3);
    const heap = new KeyHeap();
    const keys = Array.from({ length: 200 }, () => rng.int(0, 1000));
    keys.forEach((key, node) => heap.push(key, node));
    const popped = drain(heap).map((pair) => Number(pair.split(':')[0]));
    expect(popped).toEqual([...keys].sort((a, b) => b - a));
  });

  it('replaceTop keeps the same pairs as a push followed by a pop, as a bounded list keeps its best', () => {
    const rng = new Rng(5);
    const bounded = new KeyHeap();
    const pushPop = new KeyHeap();
    const limit = 24;
    for (let node = 0; node < 500; node++) {
      // Distinct keys: with ties the two may keep different pairs of an equal key.
      const key = -(rng.int(0, 1_000_000) * 1000 + node);
      if (bounded.size < limit) bounded.push(key, node);
      else if (key < bounded.topKey()) bounded.replaceTop(key, node);
      if (pushPop.size < limit || key < pushPop.topKey()) {
        pushPop.push(key, node);
        if (pushPop.size > limit) pushPop.pop();
      }
      expect(bounded.topKey()).toBe(pushPop.topKey());
    }
    expect(drain(bounded)).toEqual(drain(pushPop));
  });
});
