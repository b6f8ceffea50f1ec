import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { gpuForTests } from '../../node/testing/index.js';
import { createOrtNodeRuntime } from '../../node/ort-node.js';
import { OnnxGraphBuilder } from '../../onnx/graph-builder.js';
import { loadFeatureExtractor } from '../load-feature-extractor.js';
import { OnnxEmbedder } from './onnx-embedder.js';

const runtime = await createOrtNodeRuntime();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());
const cpu = new CpuDevice();

// A small CNN: conv 3×3 (2 filters) → ReLU → global average pool → "embedding" [n, 2], and a
// linear head on it → "logits" [n, 3].
const rng = new Rng(17);
const W = rng.floats(2 * 9);
const B = Float32Array.of(0.1, -0.05);
const HEAD = rng.floats(3 * 2);
function cnn(): Uint8Array {
  const g = new OnnxGraphBuilder('tiny-cnn');
  const x = g.input('image', 'float32', ['batch', 1, 6, 6]);
  const conv = g.conv(x, g.initializer('w', W, [2, 1, 3, 3]), g.initializer('b', B, [2]), { kernelShape: [3, 3] });
  const embedding = g.flatten(g.globalAveragePool(g.relu(conv)), 1);
  g.output(embedding, 'embedding', ['batch', 2]);
  g.output(g.gemm(embedding, g.initializer('head', HEAD, [3, 2]), undefined, { transB: true }), 'logits', ['batch', 3]);
  return g.toBytes();
}

/** The embedding in plain loops: valid 3×3 convolution, ReLU, mean over the 4×4 outputs. */
function reference(images: Float32Array, n: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < n; s++) {
    for (let f = 0; f < 2; f++) {
      let sum = 0;
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 4; c++) {
          let v = B[f]!;
          for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) v += W[f * 9 + i * 3 + j]! * images[s * 36 + (r + i) * 6 + c + j]!;
          sum += Math.max(0, v);
        }
      }
      out.push(sum / 16);
    }
  }
  return out;
}

const N = 5;
const images = rng.floats(N * 36, 0, 1);
const batch = Tensor.cpu('f32', [N, 1, 6, 6], images);

function expectClose(got: ArrayLike<number>, want: readonly number[], tolerance = 1e-5): void {
  expect(got.length).toBe(want.length);
  want.forEach((v, i) => expect(Math.abs(got[i]! - v), `element ${i}`).toBeLessThan(tolerance));
}

describe('onnx embedder', () => {
  it('embeds a batch in runs of batchSize with the named output, on the cpu provider', async () => {
    const embedder = await OnnxEmbedder.create({ model: cnn(), output: 'embedding', batchSize: 2, executionProviders: ['cpu'] }, { runtime, device: cpu });
    expect(embedder.executionProvider).toBe('cpu');
    expect(embedder.input).toBe('image');
    const features = await embedder.transform(batch);
    expect(features.shape).toEqual([N, 2]);
    expectClose(features.data as Float32Array, reference(images, N));
    await embedder.release();
  });

  it('uses another output when named, the first one by default', async () => {
    const logits = await OnnxEmbedder.create({ model: cnn(), output: 'logits', executionProviders: ['cpu'] }, { runtime, device: cpu });
    expect((await logits.transform(batch)).shape).toEqual([N, 3]);
    const first = await OnnxEmbedder.create({ model: cnn(), executionProviders: ['cpu'] }, { runtime, device: cpu });
    expect(first.output).toBe('embedding');
    await logits.release();
    await first.release();
  });

  it.skipIf(!gpu.device)('on a WebGPU device tries webgpu first, then the cpu provider, and computes the same embedding either way', async () => {
    const embedder = await OnnxEmbedder.create({ model: cnn(), batchSize: 3 }, { runtime, device: gpu.device! });
    expect(embedder.executionProviders).toEqual(['webgpu', 'cpu']);
    expect(['webgpu', 'cpu']).toContain(embedder.executionProvider);
    expectClose(await gpu.device!.read(await embedder.transform(batch)), reference(images, N), 1e-4);
    await embedder.release();
  });

  it('on a CPU device leaves the webgpu provider out, also when the saved state names it', async () => {
    const embedder = await OnnxEmbedder.create({ model: cnn(), batchSize: 3 }, { runtime, device: cpu });
    expect([embedder.executionProviders, embedder.executionProvider]).toEqual([['cpu'], 'cpu']);
    expectClose((await embedder.transform(batch)).data as Float32Array, reference(images, N), 1e-4);
    const named = await OnnxEmbedder.create({ model: cnn(), executionProviders: ['webgpu', 'cpu'] }, { runtime, device: cpu });
    expect(named.executionProviders).toEqual(['cpu']);
    await Promise.all([embedder.release(), named.release()]);
  });

  it.skipIf(!gpu.device)('returns the embeddings on a WebGPU device', async () => {
    const embedder = await OnnxEmbedder.create({ model: cnn(), executionProviders: ['cpu'] }, { runtime, device: gpu.device! });
    const features = await embedder.transform(batch);
    expect(features.location).toBe('gpu');
    expectClose(await gpu.device!.read(features), reference(images, N));
    await embedder.release();
  });

  it('saves the model with its settings and loads back computing the same features', async () => {
    const embedder = await OnnxEmbedder.create({ model: cnn(), output: 'logits', batchSize: 4, executionProviders: ['cpu'] }, { runtime, device: cpu });
    const loaded = await loadFeatureExtractor(embedder.save(), { device: cpu, runtime });
    expect(loaded).toBeInstanceOf(OnnxEmbedder);
    const restored = loaded as OnnxEmbedder;
    expect([restored.output, restored.batchSize, restored.executionProviders]).toEqual(['logits', 4, ['cpu']]);
    expect((await restored.transform(batch)).data).toEqual((await embedder.transform(batch)).data);
    await expect(loadFeatureExtractor(embedder.save(), { device: cpu })).rejects.toThrow(/needs an ONNX runtime/);
    await embedder.release();
    await restored.release();
  });

  it('names the outputs when the chosen one does not exist, and rejects bad settings', async () => {
    await expect(OnnxEmbedder.create({ model: cnn(), output: 'features', executionProviders: ['cpu'] }, { runtime, device: cpu })).rejects.toThrow(
      /the model has no output named "features"; its outputs: embedding, logits/,
    );
    await expect(OnnxEmbedder.create({ model: cnn(), batchSize: 0 }, { runtime, device: cpu })).rejects.toMatchObject({ code: 'FEATURE_OPTION_INVALID' });
    await expect(OnnxEmbedder.create({ model: cnn(), executionProviders: ['cuda' as never] }, { runtime, device: cpu })).rejects.toThrow(/must name one or more of webgpu, cpu, wasm/);
    const embedder = await OnnxEmbedder.create({ model: cnn(), executionProviders: ['cpu'] }, { runtime, device: cpu });
    await expect(embedder.transform(Tensor.cpu('u8', [1, 1, 6, 6]))).rejects.toThrow(/batch must be f32/);
    await embedder.release();
  });
});
