import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../onnx/graph-builder.js';
import { onnxTensor } from '../onnx/onnx-tensor.js';
import { withSessionDefaults } from '../onnx/session-defaults.js';
import { createOrtNodeRuntime } from './ort-node.js';

// ONNX Runtime starts a session's intra-op pool when the session is created: n threads per run are
// the calling thread and n - 1 pool threads, which this process's thread list shows (Linux).
const threadListReadable = process.platform === 'linux';
if (!threadListReadable) console.warn('[session-defaults.test] thread-count tests skipped: they read /proc/self/task (Linux only)');
const threadIds = (): Set<string> => new Set(readdirSync('/proc/self/task'));
/** Threads started since `before` that are still running (other threads may end meanwhile: not counted). */
const startedSince = (before: Set<string>): string[] => [...threadIds()].filter((id) => !before.has(id));

function reluGraph(): Uint8Array {
  const g = new OnnxGraphBuilder('relu');
  g.output(g.relu(g.input('x', 'float32', [4])), 'y');
  return g.toBytes();
}

describe.runIf(threadListReadable)('withSessionDefaults on onnxruntime-node', () => {
  it("gives sessions the default thread count, keeps a caller's own, and the sessions run", async () => {
    const runtime = await createOrtNodeRuntime();
    // ORT's process-wide threads start with the first session: before counting.
    await (await runtime.createSession(reluGraph(), { executionProviders: ['cpu'] })).release();
    const threaded = withSessionDefaults(runtime, { intraOpNumThreads: 3 });

    const before = threadIds();
    const session = await threaded.createSession(reluGraph(), { executionProviders: ['cpu'] });
    const pool = startedSince(before);
    expect(pool).toHaveLength(2);
    const { y } = await session.run({ x: onnxTensor('float32', [4], new Float32Array([-1, 2, -3, 4])) });
    expect(Array.from(y!.data as Float32Array)).toEqual([0, 2, 0, 4]);
    await session.release();
    expect(pool.filter((id) => threadIds().has(id))).toEqual([]);

    const single = await threaded.createSession(reluGraph(), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
    expect(startedSince(before)).toEqual([]);
    await single.release();
  });
});
