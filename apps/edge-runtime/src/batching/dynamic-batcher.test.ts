import { describe, expect, it } from 'vitest';
import { DynamicBatcher, type BatchingOptions } from './dynamic-batcher.js';

/** A batcher whose model doubles numbers, recording the batches it ran. */
function doubling(options: Partial<BatchingOptions>) {
  const batches: number[][] = [];
  const batcher = new DynamicBatcher<number, number>(
    async (inputs) => {
      batches.push(inputs);
      return inputs.map((x) => x * 2);
    },
    { maxBatch: 4, maxQueueDelayMs: 600_000, maxQueue: 100, timeoutMs: 600_000, ...options },
  );
  return { batcher, batches };
}

describe('dynamic batching (Triton semantics)', () => {
  it('dispatches as soon as the queued rows reach maxBatch, joining whole requests in order', async () => {
    const { batcher, batches } = doubling({});
    // The delay never elapses: only a full batch (or the flush at the end) dispatches.
    const answers = [batcher.submit([1]), batcher.submit([2, 3]), batcher.submit([4]), batcher.submit([5, 6])];
    const first = await Promise.all(answers.slice(0, 3));
    expect(first.map((r) => r.outputs)).toEqual([[2], [4, 6], [8]]);
    expect(first.every((r) => r.batchRows === 4)).toBe(true);
    expect(batches).toEqual([[1, 2, 3, 4]]);
    batcher.flush();
    expect((await answers[3]!).outputs).toEqual([10, 12]);
    expect(batches).toEqual([[1, 2, 3, 4], [5, 6]]);
  });

  it('never splits a request: one that does not fit waits for the next batch', async () => {
    const { batcher, batches } = doubling({ maxQueueDelayMs: 0 });
    await Promise.all([batcher.submit([1, 2, 3]), batcher.submit([4, 5])]);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('a request with more rows than maxBatch is refused (400), a full queue answers 503 with Retry-After', async () => {
    const { batcher } = doubling({ maxQueue: 1 });
    await expect(batcher.submit([1, 2, 3, 4, 5])).rejects.toMatchObject({ status: 400, code: 'BATCH_TOO_LARGE' });
    const waiting = batcher.submit([1]);
    await expect(batcher.submit([2])).rejects.toMatchObject({ status: 503, code: 'QUEUE_FULL', headers: { 'retry-after': '1' } });
    batcher.flush();
    expect((await waiting).outputs).toEqual([2]);
  });

  it('sequential traffic (one request at a time, none arriving meanwhile) does not wait for company; concurrent traffic does', async () => {
    // The delay never elapses: a batch runs only when full, or by the sequential rule.
    const { batcher, batches } = doubling({});
    const lone = batcher.submit([0]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches).toEqual([]); // nothing has run yet, so a first lone request waits

    await batcher.submit([1, 2, 3]); // fills the batch with [0]: one batch of two requests
    await lone;
    const full = await batcher.submit([1, 2, 3, 4]); // a full batch of one request, alone
    expect(full.batchRows).toBe(4);
    expect((await batcher.submit([5])).outputs).toEqual([10]); // sequential: runs at once
    expect((await batcher.submit([6])).outputs).toEqual([12]);

    // Two at once: the first still runs at once; the second arrived while it ran, so it waits.
    const [seventh, eighth] = [batcher.submit([7]), batcher.submit([8])];
    await seventh;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches.at(-1)).toEqual([7]);
    const rest = await Promise.all([eighth, batcher.submit([9, 10, 11])]);
    expect(rest.map((r) => r.outputs)).toEqual([[16], [18, 20, 22]]);
    expect(batches).toEqual([[0, 1, 2, 3], [1, 2, 3, 4], [5], [6], [7], [8, 9, 10, 11]]);
  });

  it('a model failure fails the requests of its batch, and the next batch still runs', async () => {
    let fail = true;
    const batcher = new DynamicBatcher<number, number>(
      async (inputs) => {
        if (fail) {
          fail = false;
          throw new Error('session failed');
        }
        return inputs;
      },
      { maxBatch: 2, maxQueueDelayMs: 0, maxQueue: 10, timeoutMs: 600_000 },
    );
    await expect(batcher.submit([1, 2])).rejects.toThrow('session failed');
    expect((await batcher.submit([3])).outputs).toEqual([3]);
    await batcher.idle();
    expect(batcher.depth).toBe(0);
  });
});
