import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { OnnxError } from '../errors.js';
import { OnnxGraphBuilder } from './graph-builder.js';
import { onnxTensor } from './onnx-tensor.js';
import { createOrtWebRuntime } from './ort-web.js';
import { probeRuntime } from './probe-runtime.js';

// onnxruntime-web's Node build runs the same wasm backend the browser does, so the web adapter is
// exercised for real here; its webgpu provider exists only in browsers (covered by the e2e tests).
const runtime = createOrtWebRuntime(ortWeb);

function linearSigmoid(): Uint8Array {
  const g = new OnnxGraphBuilder('linear-sigmoid');
  const x = g.input('x', 'float32', ['batch', 2]);
  const w = g.initializer('w', Float32Array.of(1, -1, 2, 0.5), [2, 2]);
  g.output(g.sigmoid(g.matmul(x, w)), 'y', ['batch', 2]);
  return g.toBytes();
}

describe('onnxruntime-web adapter (wasm backend)', () => {
  it('names itself and the onnxruntime-web version', () => {
    expect(runtime.name).toBe('onnxruntime-web');
    expect(runtime.version).toBe(ortWeb.env.versions.web);
  });

  it('runs a model on wasm and reports wasm as its provider', async () => {
    const session = await runtime.createSession(linearSigmoid(), { executionProviders: ['wasm'] });
    try {
      expect(session.executionProvider).toBe('wasm');
      const { y } = await session.run({ x: onnxTensor('float32', [1, 2], Float32Array.of(1, 2)) });
      // [1, 2] · [[1, -1], [2, 0.5]] = [5, 0]
      expect(y!.dims).toEqual([1, 2]);
      expect(y!.data[0]).toBeCloseTo(1 / (1 + Math.exp(-5)), 6);
      expect(y!.data[1]).toBeCloseTo(0.5, 6);
    } finally {
      await session.release();
    }
  });

  it('runs concurrent calls on one session one after another, each with its own answer', async () => {
    const session = await runtime.createSession(linearSigmoid(), { executionProviders: ['wasm'] });
    try {
      const inputs = [0, 1, 2, 3].map((k) => Float32Array.of(k, -k));
      const outputs = await Promise.all(inputs.map((x) => session.run({ x: onnxTensor('float32', [1, 2], x) })));
      outputs.forEach(({ y }, k) => expect(y!.data[0]).toBeCloseTo(1 / (1 + Math.exp(k)), 6)); // k·1 + (−k)·2 = −k
    } finally {
      await session.release();
    }
  });

  it('falls back from a provider this environment lacks, and refuses it when it is the only one', async () => {
    const session = await runtime.createSession(linearSigmoid(), { executionProviders: ['webgpu', 'wasm'] });
    expect(session.executionProvider).toBe('wasm');
    await session.release();
    const error = await runtime.createSession(linearSigmoid(), { executionProviders: ['webgpu'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnnxError);
    expect((error as OnnxError).code).toBe('ONNX_EP_UNAVAILABLE');
    expect((error as OnnxError).message).toMatch(/webgpu/);
  });

  it('reports malformed model bytes as ONNX_LOAD_FAILED', async () => {
    const error = await runtime.createSession(Uint8Array.of(1, 2, 3, 4, 5), { executionProviders: ['wasm'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnnxError);
    expect((error as OnnxError).code).toBe('ONNX_LOAD_FAILED');
  });

  it('probes wasm as working and webgpu as missing, with the reason', async () => {
    const probe = await probeRuntime(runtime, ['wasm', 'webgpu']);
    expect(probe.executionProviders).toEqual(['wasm']);
    expect(probe.failures.webgpu).toMatch(/webgpu/);
  });

  it('sets where the wasm files are fetched from', () => {
    const before = ortWeb.env.wasm.wasmPaths;
    try {
      createOrtWebRuntime(ortWeb, { wasmPaths: '/assets/ort/' });
      expect(ortWeb.env.wasm.wasmPaths).toBe('/assets/ort/');
    } finally {
      ortWeb.env.wasm.wasmPaths = before;
    }
  });
});
