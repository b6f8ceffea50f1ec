import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../compute/random.js';
import { OnnxError } from '../../errors.js';
import { FeedBufferPool } from '../../onnx/feed-buffer-pool.js';
import { attr, OnnxGraphBuilder } from '../../onnx/graph-builder.js';
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

  it('copies feeds of every element type through shared memory, leaving the caller\'s arrays as they were', async () => {
    // y = x + float(u): a float32 feed and a uint8 feed, the latter a view into part of a larger buffer.
    const g = new OnnxGraphBuilder('mixed');
    const x = g.input('x', 'float32', ['batch', 8]);
    const [u] = g.node('Cast', [g.input('u', 'uint8', ['batch', 8])], { attributes: [attr.int('to', 1)], outputTypes: ['float32'] });
    g.output(g.add(x, u!), 'y', ['batch', 8]);
    const session = await runtime.createSession(g.toBytes(), { executionProviders: ['cpu'] });
    const xs = new Rng(4).floats(16, -1, 1);
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => (i * 37) % 251);
    const feeds = { x: { type: 'float32' as const, dims: [2, 8], data: xs.slice() }, u: { type: 'uint8' as const, dims: [2, 8], data: bytes.subarray(24) } };
    const y = (await session.run(feeds)).y!.data as Float32Array;
    expect(Array.from(y)).toEqual(Array.from(xs, (v, i) => Math.fround(v + bytes[24 + i]!)));
    expect(Array.from(feeds.x.data)).toEqual(Array.from(xs));
    expect(feeds.u.data.byteLength).toBe(16);
    await session.release();
  });

  it('gives feeds back to the pool as soon as they are copied, and keeps runs in flight at once apart', async () => {
    const model = chain(8, 2);
    const local = await (await createOrtNodeRuntime()).createSession(model, { executionProviders: ['cpu'] });
    const session = await runtime.createSession(model, { executionProviders: ['cpu'] });
    const pool = new FeedBufferPool();
    // Three runs posted together, of two sizes (the staging area of the smaller grows for the larger).
    const inputs = [2, 6, 2].map((rows, i) => ({ type: 'float32' as const, dims: [rows, 8], data: new Rng(10 + i).floats(rows * 8, -1, 1) }));
    const want = await Promise.all(inputs.map(async (x) => (await local.run({ x: { ...x, data: x.data.slice() } })).y!.data));
    const runs = inputs.map((x) => session.run({ x }, undefined, { feedPool: pool }));
    // Each feed was copied as its run was posted: the pool has them back before any run ends.
    expect(pool.kept).toBe(3);
    const got = await Promise.all(runs);
    got.forEach((out, i) => expect(Array.from(out.y!.data as Float32Array)).toEqual(Array.from(want[i] as Float32Array)));
    // Later runs reuse the staging areas: same answers with new values in the same arrays.
    const again = pool.take(16);
    again.set(new Rng(20).floats(16, -1, 1));
    const wantAgain = (await local.run({ x: { type: 'float32', dims: [2, 8], data: again.slice() } })).y!.data;
    expect(Array.from((await session.run({ x: { type: 'float32', dims: [2, 8], data: again } })).y!.data as Float32Array)).toEqual(Array.from(wantAgain as Float32Array));
    await Promise.all([session.release(), local.release()]);
  });

  it('keeps the event loop turning while a model runs (onnxruntime-node runs synchronously on its calling thread)', async () => {
    const session = await runtime.createSession(chain(512, 6), { executionProviders: ['cpu'] });
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

  it('passes ONNX Runtime errors on with their codes, and refuses a released session', async () => {
    await expect(runtime.createSession(new Uint8Array([1, 2, 3]), { executionProviders: ['cpu'] })).rejects.toMatchObject({ name: 'OnnxError', code: 'ONNX_LOAD_FAILED' });
    const session = await runtime.createSession(chain(4, 1), { executionProviders: ['cpu'] });
    await expect(session.run({ x: { type: 'float32', dims: [1, 5], data: new Float32Array(5) } })).rejects.toBeInstanceOf(OnnxError);
    await session.release();
    await expect(session.run({ x: { type: 'float32', dims: [1, 4], data: new Float32Array(4) } })).rejects.toMatchObject({ code: 'ONNX_RUN_FAILED', message: expect.stringContaining('released') });
  });
});
