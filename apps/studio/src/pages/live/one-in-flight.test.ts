import { describe, expect, it } from 'vitest';
import { oneInFlight } from './one-in-flight.js';

/** A run whose end the test decides. */
function controlledWork() {
  const ends: (() => void)[] = [];
  let started = 0;
  const work = () => {
    started += 1;
    return new Promise<void>((resolve) => ends.push(resolve));
  };
  return { work, ends, started: () => started };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('oneInFlight', () => {
  it('drops the frames that arrive while one is inferred, and takes the next one after it ends', async () => {
    const { work, ends, started } = controlledWork();
    let dropped = 0;
    const frame = oneInFlight(work, () => (dropped += 1));
    frame();
    frame();
    frame();
    expect(started()).toBe(1);
    expect(dropped).toBe(2);
    ends[0]!();
    await settled();
    frame();
    expect(started()).toBe(2);
    expect(dropped).toBe(2);
  });
});
