import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../compute/random.js';
import { OnnxError } from '../../errors.js';
import { FeedBufferPool } from '../../onnx/feed-buffer-pool.js';
import { OnnxGraphBuilder } from '../../onnx/graph-builder.js';
import { createOrtNodeRuntime } from '../ort-node.js';
import { createOrtNodeWorkerRuntime } from './ort-worker-runtime.js';

const runtime = await createOrtNodeWorkerRuntime();
afterAll(() => runtime.close());

/** x [batch, n] → softmax(((x·W)·W)… ·W), `layers` products of n×n: as heavy as asked. */
function chain(n: number, layers: number): Uint8Array {
  const rng = new Rng(3);
  const g = new OnnxGraphBuilder('chain');
  let x = g.input('x', 'float32', ['batch', n]);
  for (let i = 0; i < layers; i++) x = g.matmul(x, g.initializer(`w${i}`, rng.floats(n * n, -1 / n, 1 / n), [n, n]));
  g.output(g.softmax(x, -1), 'y', ['batch', n]);
  return g.toBytes();
}

describe('createOrtNodeWorkerRuntime', () => {
  it('gives the outputs of the in-process runtime, with the same names and provider', async () => {
    const model = chain(16, 3);
    const x = { type: 'float32' as const, dims: [4, 16], data: new Rng(1).floats(64, -1, 1) };
    const inProcess = await (await createOrtNodeRuntime()).createSession(model, { executionProviders: ['cpu'] });
    const inWorker = await runtime.createSession(model, { executionProviders: ['cpu'] });
    expect([inWorker.inputNames, inWorker.outputNames, inWorker.executionProvider]).toEqual([inProcess.inputNames, inProcess.outputNames, 'cpu']);
    const [want, got] = [(await inProcess.run({ x })).y!, (await inWorker.run({ x })).y!];
    expect(got.dims).toEqual([4, 16]);
    expect(Array.from(got.data as Float32Array)).toEqual(Array.from(want.data as Float32Array));
    await Promise.all([inProcess.release(), inWorker.release()]);
  });

  it('moves handed-over feeds to the thread instead of copying them, and copies the rest', async () => {
    const session = await runtime.createSession(chain(8, 1), { executionProviders: ['cpu'] });
    const values = new Rng(4).floats(16, -1, 1);
    const kept = { type: 'float32' as const, dims: [2, 8], data: values.slice() };
    const handed = { type: 'float32' as const, dims: [2, 8], data: values.slice() };
    const want = (await session.run({ x: kept })).y!;
    const got = (await session.run({ x: handed }, undefined, { handOverFeeds: true })).y!;
    expect(Array.from(got.data as Float32Array)).toEqual(Array.from(want.data as Float32Array));
    expect(Array.from(kept.data)).toEqual(Array.from(values));
    expect(handed.data.byteLength).toBe(0); // detached: its memory went to the thread
    // A view into part of a larger buffer is copied, so the rest of that buffer stays usable.
    const shared = new Float32Array(32);
    shared.set(values, 16);
    await session.run({ x: { type: 'float32', dims: [2, 8], data: shared.subarray(16) } }, undefined, { handOverFeeds: true });
    expect(shared.byteLength).toBe(128);
    await session.release();
  });

  it('gives moved feeds back to the run\'s feed pool with the answer, so the next feed reuses the memory', async () => {
    const session = await runtime.createSession(chain(8, 1), { executionProviders: ['cpu'] });
    const pool = new FeedBufferPool();
    const values = new Rng(5).floats(16, -1, 1);
    const want = (await session.run({ x: { type: 'float32', dims: [2, 8], data: values.slice() } })).y!;
    const feed = pool.take(16);
    feed.set(values);
    const got = (await session.run({ x: { type: 'float32', dims: [2, 8], data: feed } }, undefined, { handOverFeeds: true, feedPool: pool })).y!;
    expect(Array.from(got.data as Float32Array)).toEqual(Array.from(want.data as Float32Array));
    expect(feed.byteLength).toBe(0); // it went to the thread ...
    expect(pool.kept).toBe(1); // ... and came back
    const again = pool.take(16);
    expect(Array.from(again)).toEqual(Array.from(values));
    expect(pool.kept).toBe(0);
    // In-process sessions give the feed back once the run is over.
    const local = await (await createOrtNodeRuntime()).createSession(chain(8, 1), { executionProviders: ['cpu'] });
    await local.run({ x: { type: 'float32', dims: [2, 8], data: again } }, undefined, { handOverFeeds: true, feedPool: pool });
    expect(pool.take(16)).toBe(again);
    await Promise.all([session.release(), local.release()]);
  });

  it('keeps the event loop turning while a model runs (onnxruntime-node runs synchronously on its calling thread)', async () => {
    // One ORT thread, so the model leaves a core to the event loop on a 2-core machine where another
    // test file runs beside this one (with ORT's default two threads it got 7 turns in one CI run).
    const session = await runtime.createSession(chain(512, 6), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
    const x = { type: 'float32' as const, dims: [512, 512], data: new Rng(2).floats(512 * 512, -1, 1) };
    let turns = 0;
    let done = false;
    const spin = (): void => {
      turns++;
      if (!done) setImmediate(spin);
    };
    setImmediate(spin);
    await session.run({ x });
    done = true;
    // In process, the run holds the thread from its start to its end: a handful of turns at most.
    expect(turns).toBeGreaterThan(50);
    await session.release();
  });

  it('with callingThreadCopies, runs a run that asks for the calling thread there while the ORT thread is idle, and on the thread otherwise', async () => {
    const copies = await createOrtNodeWorkerRuntime({ callingThreadCopies: true });
    try {
      const model = chain(16, 3);
      const session = await copies.createSession(model, { executionProviders: ['cpu'] });
      const x = () => ({ type: 'float32' as const, dims: [4, 16], data: new Rng(6).floats(64, -1, 1) });
      const onThread = (await session.run({ x: x() })).y!;
      expect(copies.runs()).toEqual({ thread: 1, callingThread: 0 });
      const pool = new FeedBufferPool();
      const feed = x();
      const here = (await session.run({ x: feed }, undefined, { callingThread: true, handOverFeeds: true, feedPool: pool })).y!;
      expect(copies.runs()).toEqual({ thread: 1, callingThread: 1 });
      expect(Array.from(here.data as Float32Array)).toEqual(Array.from(onThread.data as Float32Array));
      expect(pool.take(64)).toBe(feed.data); // not moved anywhere: back in the pool after the run
      // While the thread runs one, a run asking for the calling thread goes to the thread too.
      const [first, second] = await Promise.all([session.run({ x: x() }), session.run({ x: x() }, undefined, { callingThread: true })]);
      expect(copies.runs()).toEqual({ thread: 3, callingThread: 1 });
      expect(Array.from(second.y!.data as Float32Array)).toEqual(Array.from(first.y!.data as Float32Array));
      await session.release();
      // Without copies, the option changes nothing.
      const plain = await runtime.createSession(model, { executionProviders: ['cpu'] });
      const before = runtime.runs();
      await plain.run({ x: x() }, undefined, { callingThread: true });
      expect(runtime.runs()).toEqual({ thread: before.thread + 1, callingThread: 0 });
      await plain.release();
    } finally {
      await copies.close();
    }
  });

  it('passes ONNX Runtime errors on with their codes, and refuses a released session', async () => {
    await expect(runtime.createSession(new Uint8Array([1, 2, 3]), { executionProviders: ['cpu'] })).rejects.toMatchObject({ name: 'OnnxError', code: 'ONNX_LOAD_FAILED' });
    const session = await runtime.createSession(chain(4, 1), { executionProviders: ['cpu'] });
    await expect(session.run({ x: { type: 'float32', dims: [1, 5], data: new Float32Array(5) } })).rejects.toBeInstanceOf(OnnxError);
    await session.release();
    await expect(session.run({ x: { type: 'float32', dims: [1, 4], data: new Float32Array(4) } })).rejects.toMatchObject({ code: 'ONNX_RUN_FAILED', message: expect.stringContaining('released') });
  });
});
