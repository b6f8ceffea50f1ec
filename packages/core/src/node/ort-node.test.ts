import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import { add } from '../compute/kernels/add/add.js';
import { clamp } from '../compute/kernels/clamp/clamp.js';
import { matmul } from '../compute/kernels/matmul/matmul.js';
import { softmax } from '../compute/kernels/softmax/softmax.js';
import { Rng } from '../compute/random.js';
import { Tensor } from '../compute/tensor.js';
import { OnnxError } from '../errors.js';
import { OnnxGraphBuilder } from '../onnx/graph-builder.js';
import { onnxTensor, type OnnxTensor } from '../onnx/onnx-tensor.js';
import type { OnnxExecutionProvider, OnnxRuntime, OnnxSession } from '../onnx/session.js';
import { createOrtNodeRuntime, probeExecutionProviders } from './ort-node.js';

// ---------------------------------------------------------------------------------------------
// Setup: one runtime for the file; the webgpu provider is tried once, and its tests are skipped
// with the reason when this machine has no adapter (except on Linux CI, where lavapipe must be there).

const runtime = await createOrtNodeRuntime();
const webgpuUnavailable = await whyWebgpuUnavailable(runtime);
const webgpuRequired = process.env.CI === 'true' && process.platform === 'linux';
if (webgpuUnavailable) console.warn(`[ort-node.test] webgpu provider tests skipped: ${webgpuUnavailable}`);

async function whyWebgpuUnavailable(rt: OnnxRuntime): Promise<string | undefined> {
  const g = new OnnxGraphBuilder('webgpu-check');
  g.output(g.relu(g.input('x', 'float32', [4])), 'y');
  try {
    const session = await rt.createSession(g.toBytes(), { executionProviders: ['webgpu'] });
    await session.release();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const cpu = new CpuDevice();
const f32 = (shape: number[], data: Float32Array): Tensor => Tensor.cpu('f32', shape, data);

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-4, atol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!);
    if (!(diff <= atol + rtol * Math.abs(expected[i]!))) {
      throw new Error(`element ${i}: got ${actual[i]}, expected ${expected[i]} (|diff| ${diff})`);
    }
  }
}

function float32Output(outputs: Record<string, OnnxTensor>, name: string): OnnxTensor<'float32'> {
  const t = outputs[name];
  if (!t || t.type !== 'float32') throw new Error(`output ${name} is ${t ? t.type : 'missing'}, expected float32`);
  return t;
}

function int64Output(outputs: Record<string, OnnxTensor>, name: string): number[] {
  const t = outputs[name];
  if (!t || t.type !== 'int64') throw new Error(`output ${name} is ${t ? t.type : 'missing'}, expected int64`);
  return Array.from(t.data, Number);
}

async function withSession<T>(model: Uint8Array, providers: OnnxExecutionProvider[], use: (s: OnnxSession) => Promise<T>): Promise<T> {
  const session = await runtime.createSession(model, { executionProviders: providers });
  try {
    return await use(session);
  } finally {
    await session.release();
  }
}

async function rejection(promise: Promise<unknown>): Promise<OnnxError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OnnxError);
  return error as OnnxError;
}

// ---------------------------------------------------------------------------------------------
// Models and their references

/** Gemm(transB) → Relu → Gemm → Softmax: the shape of a classification head over embeddings. */
function mlpHead(rng: Rng) {
  const [IN, HIDDEN, CLASSES] = [8, 16, 4];
  const w1 = rng.floats(HIDDEN * IN);
  const b1 = rng.floats(HIDDEN);
  const w2 = rng.floats(HIDDEN * CLASSES);
  const b2 = rng.floats(CLASSES);
  const g = new OnnxGraphBuilder('mlp-head');
  const x = g.input('x', 'float32', ['batch', IN]);
  const h = g.relu(g.gemm(x, g.initializer('w1', w1, [HIDDEN, IN]), g.initializer('b1', b1, [HIDDEN]), { transB: true }));
  const logits = g.gemm(h, g.initializer('w2', w2, [HIDDEN, CLASSES]), g.initializer('b2', b2, [CLASSES]));
  g.output(g.softmax(logits, -1), 'probs', ['batch', CLASSES]);

  const reference = (batch: number, xs: Float32Array): Float32Array => {
    let t = cpu.runSync(matmul, { a: f32([batch, IN], xs), b: f32([HIDDEN, IN], w1) }, { transposeB: true }).out;
    t = cpu.runSync(add, { a: t, b: f32([HIDDEN], b1) }, {}).out;
    t = cpu.runSync(clamp, { x: t }, { min: 0, max: Infinity }).out;
    t = cpu.runSync(matmul, { a: t, b: f32([HIDDEN, CLASSES], w2) }, {}).out;
    t = cpu.runSync(add, { a: t, b: f32([CLASSES], b2) }, {}).out;
    return cpu.runSync(softmax, { x: t }, { axis: -1 }).out.data as Float32Array;
  };
  return { bytes: g.toBytes(), IN, CLASSES, reference };
}

type Shape4 = [number, number, number, number];

/** Plain-loop NCHW convolution: the oracle for ORT's Conv. pads are [top, left, bottom, right]. */
function conv2d(
  x: Float32Array, [n, c, h, w]: Shape4, weight: Float32Array, [m, cg, kh, kw]: Shape4, bias: Float32Array,
  { stride = 1, pad = 0, group = 1 } = {},
): { data: Float32Array; shape: Shape4 } {
  const oh = Math.floor((h + 2 * pad - kh) / stride) + 1;
  const ow = Math.floor((w + 2 * pad - kw) / stride) + 1;
  const out = new Float32Array(n * m * oh * ow);
  const mPerGroup = m / group;
  for (let b = 0; b < n; b++)
    for (let o = 0; o < m; o++)
      for (let y = 0; y < oh; y++)
        for (let xo = 0; xo < ow; xo++) {
          let acc = bias[o]!;
          const g = Math.floor(o / mPerGroup);
          for (let ci = 0; ci < cg; ci++)
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const iy = y * stride - pad + ky;
                const ix = xo * stride - pad + kx;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                const inC = g * cg + ci;
                acc += x[((b * c + inC) * h + iy) * w + ix]! * weight[((o * cg + ci) * kh + ky) * kw + kx]!;
              }
          out[((b * m + o) * oh + y) * ow + xo] = acc;
        }
  return { data: out, shape: [n, m, oh, ow] };
}

/** Plain-loop 2-D pooling, no padding. */
function pool2d(x: Float32Array, [n, c, h, w]: Shape4, k: number, stride: number, kind: 'max' | 'avg'): { data: Float32Array; shape: Shape4 } {
  const oh = Math.floor((h - k) / stride) + 1;
  const ow = Math.floor((w - k) / stride) + 1;
  const out = new Float32Array(n * c * oh * ow);
  for (let p = 0; p < n * c; p++)
    for (let y = 0; y < oh; y++)
      for (let xo = 0; xo < ow; xo++) {
        let acc = kind === 'max' ? -Infinity : 0;
        for (let ky = 0; ky < k; ky++)
          for (let kx = 0; kx < k; kx++) {
            const v = x[(p * h + y * stride + ky) * w + xo * stride + kx]!;
            acc = kind === 'max' ? Math.max(acc, v) : acc + v / (k * k);
          }
        out[(p * oh + y) * ow + xo] = acc;
      }
  return { data: out, shape: [n, c, oh, ow] };
}

function globalAveragePool(x: Float32Array, [n, c, h, w]: Shape4): Float32Array {
  const out = new Float32Array(n * c);
  for (let p = 0; p < n * c; p++) {
    let sum = 0;
    for (let i = 0; i < h * w; i++) sum += x[p * h * w + i]!;
    out[p] = sum / (h * w);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

describe('onnxruntime-node adapter', () => {
  it('names itself and its version', () => {
    expect(runtime.name).toBe('onnxruntime-node');
    expect(runtime.version).toMatch(/^1\.\d+\.\d+/);
  });

  it.runIf(webgpuRequired)('has a working webgpu provider on Linux CI (lavapipe)', () => {
    expect(webgpuUnavailable).toBeUndefined();
  });

  for (const ep of ['cpu', 'webgpu'] as const) {
    describe.skipIf(ep === 'webgpu' && webgpuUnavailable !== undefined)(`on the ${ep} provider`, () => {
      it('runs a Gemm+Relu+Softmax MLP head like the CPU kernels, for any batch size', async () => {
        const head = mlpHead(new Rng(11));
        await withSession(head.bytes, [ep], async (session) => {
          expect(session.executionProvider).toBe(ep);
          expect(session.inputNames).toEqual(['x']);
          expect(session.outputNames).toEqual(['probs']);
          for (const batch of [3, 1]) {
            const xs = new Rng(batch).floats(batch * head.IN);
            const probs = float32Output(await session.run({ x: onnxTensor('float32', [batch, head.IN], xs) }), 'probs');
            expect(probs.dims).toEqual([batch, head.CLASSES]);
            expectClose(probs.data, head.reference(batch, xs), 1e-3, 1e-5);
          }
        });
      });

      it('runs a batched MatMul+Add like the CPU kernels', async () => {
        const rng = new Rng(5);
        const [B, M, K, N] = [2, 3, 5, 7];
        const w = rng.floats(K * N);
        const bias = rng.floats(N);
        const xs = rng.floats(B * M * K);
        const g = new OnnxGraphBuilder('linear');
        const y = g.add(g.matmul(g.input('x', 'float32', [B, M, K]), g.initializer('w', w, [K, N])), g.initializer('b', bias, [N]));
        g.output(y, 'y', [B, M, N]);
        const product = cpu.runSync(matmul, { a: f32([B, M, K], xs), b: f32([K, N], w) }, {}).out;
        const want = cpu.runSync(add, { a: product, b: f32([N], bias) }, {}).out.data as Float32Array;
        await withSession(g.toBytes(), [ep], async (session) => {
          expect(session.executionProvider).toBe(ep);
          const out = float32Output(await session.run({ x: onnxTensor('float32', [B, M, K], xs) }), 'y');
          expect(out.dims).toEqual([B, M, N]);
          expectClose(out.data, want, 1e-3, 1e-5);
        });
      });

      it('runs a small CNN (Conv, MaxPool, grouped strided Conv, GlobalAveragePool, Flatten) like plain loops', async () => {
        const rng = new Rng(7);
        const xShape: Shape4 = [2, 3, 9, 9];
        const xs = rng.floats(2 * 3 * 9 * 9);
        const w1 = rng.floats(4 * 3 * 3 * 3);
        const b1 = rng.floats(4);
        const w2 = rng.floats(4 * 2 * 3 * 3);
        const b2 = rng.floats(4);
        const g = new OnnxGraphBuilder('cnn');
        const x = g.input('x', 'float32', ['batch', 3, 9, 9]);
        let h = g.relu(g.conv(x, g.initializer('w1', w1, [4, 3, 3, 3]), g.initializer('b1', b1, [4]), { kernelShape: [3, 3], pads: [1, 1, 1, 1] }));
        h = g.maxPool(h, { kernelShape: [2, 2], strides: [2, 2] });
        h = g.conv(h, g.initializer('w2', w2, [4, 2, 3, 3]), g.initializer('b2', b2, [4]), { strides: [2, 2], pads: [1, 1, 1, 1], group: 2 });
        g.output(g.flatten(g.globalAveragePool(h), 1), 'features', ['batch', 4]);

        const c1 = conv2d(xs, xShape, w1, [4, 3, 3, 3], b1, { pad: 1 });
        const pooled = pool2d(c1.data.map((v) => Math.max(v, 0)), c1.shape, 2, 2, 'max');
        const c2 = conv2d(pooled.data, pooled.shape, w2, [4, 2, 3, 3], b2, { stride: 2, pad: 1, group: 2 });
        expect(c2.shape).toEqual([2, 4, 2, 2]);
        const want = globalAveragePool(c2.data, c2.shape);

        await withSession(g.toBytes(), [ep], async (session) => {
          expect(session.executionProvider).toBe(ep);
          const out = float32Output(await session.run({ x: onnxTensor('float32', xShape, xs) }), 'features');
          expect(out.dims).toEqual([2, 4]);
          expectClose(out.data, want, 1e-3, 1e-5);
        });
      });

      it('runs the other builder ops (Gemm attributes, Sigmoid, Mul, Transpose, Reshape, AveragePool, ArgMax, TopK, Identity)', async () => {
        const x = Float32Array.of(3, -1, 4, 1, -5, 9, 2, -6, 5, 3, 5, -8, 9, 7, -9, 3, 2, 3, 8, -4, 6, 2, 6, 4); // [2, 3, 4]
        const scale = Float32Array.of(1, -2, 0.5, 4);
        const img = Float32Array.from({ length: 16 }, (_, i) => i * 0.5 - 3); // [1, 1, 4, 4]
        const ga = Float32Array.of(1, 2, 3, 4, 5, 6); // [3, 2], used transposed
        const gb = Float32Array.from({ length: 12 }, (_, i) => i - 6); // [3, 4]
        const gc = Float32Array.of(1, -1, 0.5, 2); // [4]

        const g = new OnnxGraphBuilder('ops');
        const xi = g.input('x', 'float32', [2, 3, 4]);
        const imgi = g.input('img', 'float32', [1, 1, 4, 4]);
        g.output(g.sigmoid(xi), 'sigmoid');
        g.output(g.mul(xi, g.initializer('scale', scale, [4])), 'mul');
        g.output(g.transpose(xi, [0, 2, 1]), 'transpose');
        g.output(g.reshape(xi, [0, -1]), 'reshape');
        g.output(g.averagePool(imgi, { kernelShape: [2, 2], strides: [2, 2] }), 'avgpool');
        g.output(g.argMax(xi, { axis: 2, keepdims: false }), 'argmax');
        const top = g.topK(xi, 2);
        g.output(top.values, 'top_values');
        g.output(top.indices, 'top_indices');
        g.output(g.identity(xi), 'identity');
        const gemm = g.gemm(g.initializer('ga', ga, [3, 2]), g.initializer('gb', gb, [3, 4]), g.initializer('gc', gc, [4]), { transA: true, alpha: 0.5, beta: 2 });
        g.output(gemm, 'gemm');

        const rows = [0, 1, 2, 3, 4, 5].map((r) => Array.from(x.subarray(r * 4, r * 4 + 4)));
        const gemmWant: number[] = [];
        for (let i = 0; i < 2; i++)
          for (let j = 0; j < 4; j++) {
            let acc = 0;
            for (let k = 0; k < 3; k++) acc += ga[k * 2 + i]! * gb[k * 4 + j]!;
            gemmWant.push(0.5 * acc + 2 * gc[j]!);
          }

        await withSession(g.toBytes(), [ep], async (session) => {
          expect(session.executionProvider).toBe(ep);
          const out = await session.run({ x: onnxTensor('float32', [2, 3, 4], x), img: onnxTensor('float32', [1, 1, 4, 4], img) });
          expectClose(float32Output(out, 'sigmoid').data, Array.from(x, (v) => 1 / (1 + Math.exp(-v))));
          expectClose(float32Output(out, 'mul').data, Array.from(x, (v, i) => v * scale[i % 4]!));
          const transposed = float32Output(out, 'transpose');
          expect(transposed.dims).toEqual([2, 4, 3]);
          expect(Array.from(transposed.data)).toEqual([0, 1].flatMap((b) => [0, 1, 2, 3].flatMap((j) => [0, 1, 2].map((i) => x[b * 12 + i * 4 + j]!))));
          const reshaped = float32Output(out, 'reshape');
          expect(reshaped.dims).toEqual([2, 12]);
          expect(Array.from(reshaped.data)).toEqual(Array.from(x));
          const avg = float32Output(out, 'avgpool');
          expect(avg.dims).toEqual([1, 1, 2, 2]);
          expectClose(avg.data, pool2d(img, [1, 1, 4, 4], 2, 2, 'avg').data);
          expect(out.argmax!.dims).toEqual([2, 3]);
          expect(int64Output(out, 'argmax')).toEqual(rows.map((r) => r.indexOf(Math.max(...r))));
          const sortedIdx = rows.map((r) => r.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 2));
          expect(Array.from(float32Output(out, 'top_values').data)).toEqual(sortedIdx.flatMap((r) => r.map(([v]) => v)));
          expect(int64Output(out, 'top_indices')).toEqual(sortedIdx.flatMap((r) => r.map(([, i]) => i)));
          expect(Array.from(float32Output(out, 'identity').data)).toEqual(Array.from(x));
          const gemmOut = float32Output(out, 'gemm');
          expect(gemmOut.dims).toEqual([2, 4]);
          expectClose(gemmOut.data, gemmWant);
        });
      });
    });
  }

  describe('provider order and honesty', () => {
    // Det has a CPU kernel but none in the webgpu provider (ORT 1.30): a graph the GPU cannot fully take.
    function determinantModel(): Uint8Array {
      const g = new OnnxGraphBuilder('det');
      g.output(g.node('Det', [g.input('m', 'float32', [2, 2])])[0]!, 'det');
      return g.toBytes();
    }

    it('refuses a webgpu-only session for a graph webgpu cannot fully run, instead of a silent CPU fallback', async () => {
      const error = await rejection(runtime.createSession(determinantModel(), { executionProviders: ['webgpu'] }));
      expect(error.code).toBe('ONNX_EP_UNAVAILABLE');
      expect(error.message).toMatch(/webgpu/);
    });

    it('falls through to the next provider in order, and reports the one that runs', async () => {
      await withSession(determinantModel(), ['webgpu', 'cpu'], async (session) => {
        expect(session.executionProvider).toBe('cpu');
        const { det } = await session.run({ m: onnxTensor('float32', [2, 2], Float32Array.of(3, 1, 4, 2)) });
        expectClose(float32Output({ det: det! }, 'det').data, [2]);
      });
      const head = mlpHead(new Rng(1));
      await withSession(head.bytes, ['webgpu', 'cpu'], async (session) => {
        expect(session.executionProvider).toBe(webgpuUnavailable ? 'cpu' : 'webgpu');
      });
    });

    it('rejects an empty or unknown provider list with ONNX_EP_UNAVAILABLE', async () => {
      const head = mlpHead(new Rng(1));
      expect((await rejection(runtime.createSession(head.bytes, { executionProviders: [] }))).code).toBe('ONNX_EP_UNAVAILABLE');
      const unknown = await rejection(runtime.createSession(head.bytes, { executionProviders: ['cuda' as OnnxExecutionProvider] }));
      expect(unknown.code).toBe('ONNX_EP_UNAVAILABLE');
      expect(unknown.message).toMatch(/"cuda".*webgpu, cpu, wasm/);
    });
  });

  describe('errors', () => {
    it('reports malformed model bytes as ONNX_LOAD_FAILED on every provider list', async () => {
      const garbage = Uint8Array.of(8, 1, 0xff, 0xff, 0xff, 0x13, 0x37, 0x42);
      for (const providers of [['cpu'], ['webgpu', 'cpu']] as OnnxExecutionProvider[][]) {
        const error = await rejection(runtime.createSession(garbage, { executionProviders: providers }));
        expect(error.code).toBe('ONNX_LOAD_FAILED');
        expect(error.message).toMatch(/could not load the model/);
      }
      expect((await rejection(runtime.createSession(new Uint8Array(0), { executionProviders: ['cpu'] }))).code).toBe('ONNX_LOAD_FAILED');
    });

    it('reports a well-formed protobuf with an unknown operator as ONNX_LOAD_FAILED', async () => {
      const g = new OnnxGraphBuilder('unknown-op');
      g.output(g.node('NoSuchOp', [g.input('x', 'float32', [2])])[0]!, 'y');
      const error = await rejection(runtime.createSession(g.toBytes(), { executionProviders: ['cpu'] }));
      expect(error.code).toBe('ONNX_LOAD_FAILED');
      expect(error.message).toMatch(/NoSuchOp/);
    });

    it('reports a feed of the wrong shape, name or type as ONNX_RUN_FAILED, and the session still works after', async () => {
      const head = mlpHead(new Rng(2));
      await withSession(head.bytes, ['cpu'], async (session) => {
        const wrongShape = await rejection(session.run({ x: onnxTensor('float32', [2, head.IN + 1], new Float32Array(2 * (head.IN + 1))) }));
        expect(wrongShape.code).toBe('ONNX_RUN_FAILED');
        expect(wrongShape.message).toMatch(/x: float32\[2, 9\]/);
        expect((await rejection(session.run({ y: onnxTensor('float32', [1, head.IN], new Float32Array(head.IN)) }))).code).toBe('ONNX_RUN_FAILED');
        expect((await rejection(session.run({ x: onnxTensor('int32', [1, head.IN], new Int32Array(head.IN)) }))).code).toBe('ONNX_RUN_FAILED');
        const xs = new Rng(3).floats(head.IN);
        expectClose(float32Output(await session.run({ x: onnxTensor('float32', [1, head.IN], xs) }), 'probs').data, head.reference(1, xs), 1e-3, 1e-5);
      });
    });

    it('refuses to run a released session with ONNX_RUN_FAILED', async () => {
      const head = mlpHead(new Rng(4));
      const session = await runtime.createSession(head.bytes, { executionProviders: ['cpu'] });
      await session.release();
      await session.release(); // twice is harmless
      const error = await rejection(session.run({ x: onnxTensor('float32', [1, head.IN], new Float32Array(head.IN)) }));
      expect(error.code).toBe('ONNX_RUN_FAILED');
      expect(error.message).toMatch(/released/);
    });
  });

  describe('probeExecutionProviders', () => {
    it('lists the providers that really ran the probe graph, with the reason for the others', async () => {
      const probe = await probeExecutionProviders();
      expect(probe.version).toBe(runtime.version);
      expect(probe.executionProviders).toContain('cpu');
      if (webgpuUnavailable) {
        expect(probe.executionProviders).not.toContain('webgpu');
        expect(probe.failures.webgpu).toMatch(/webgpu/);
      } else {
        expect(probe.executionProviders).toEqual(['cpu', 'webgpu']);
        expect(probe.failures).toEqual({});
      }
    });
  });
});
