import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import type { Device } from '../../compute/device.js';
import { Rng } from '../../compute/random.js';
import { gpuForTests } from '../../node/testing/index.js';
import { importOnnxModel } from '../import/onnx-import.js';
import { tinyMobileModel } from '../import/testing/tiny-mobile-model.js';
import { tinyResNetModel } from '../import/testing/tiny-resnet-model.js';
import { finetuneNetwork, type FinetuneSettings } from './finetune-trainer.js';

// Fine-tuning on WebGPU (lavapipe here): the frozen blocks, the unfrozen ones with batch norm on
// batch statistics, the head, the loss and Adam all run on the GPU, and a few steps give the CPU
// tape's values.

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());
if (gpu.skip) console.log(`finetune-webgpu: skipped: ${gpu.skip}`);

const item = [3, 10, 10] as const;
const rows = 12;
const rng = new Rng(5);
const labels = Int32Array.from({ length: rows }, (_, i) => i % 3);
const images = rng.floats(rows * 300, -1, 1);
// Two epochs of two steps; the last 3 of 6 blocks train (a residual block with a projection, the grouped conv, the linear layers).
const settings: FinetuneSettings = { unfreeze: 4, lr: 0.01, headLr: 0.05, optimizer: 'adam', weightDecay: 0.01, epochs: 2, batchSize: 6, labelSmoothing: 0.1, seed: 3, classes: 3, head: { head: 'mlp', hidden: [5], activation: 'relu', dropout: 0 } };

async function finetuneOn(device: Device, model = tinyResNetModel(new Rng(8)), overrides: Partial<FinetuneSettings> = {}) {
  const network = importOnnxModel(model);
  const result = await finetuneNetwork(device, network.graph, { images, labels, item }, { ...settings, ...overrides });
  const values = new Map<string, Float32Array>();
  for (const b of network.graph.bindings()) values.set(b.initializer, await b.read(device));
  return { result, values };
}

/** max |got − want| / max(1, |want|). */
function worstError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  return worst;
}

describe.skipIf(!gpu.device)('fine-tuning on WebGPU', () => {
  it('four Adam steps give the CPU tape\'s backbone, running statistics, head and losses within 1e-4', async () => {
    const cpu = await finetuneOn(new CpuDevice());
    const webgpu = await finetuneOn(gpu.device!);
    expect(webgpu.result.trained).toEqual(cpu.result.trained);
    expect(webgpu.result.trained.length).toBeGreaterThan(0);
    for (const [name, want] of cpu.values) expect(worstError(webgpu.values.get(name)!, want), name).toBeLessThanOrEqual(1e-4);
    cpu.result.head.layers.forEach((layer, k) => {
      expect(worstError(webgpu.result.head.layers[k]!.weight.data as Float32Array, layer.weight.data as Float32Array)).toBeLessThanOrEqual(1e-4);
      expect(worstError(webgpu.result.head.layers[k]!.bias.data as Float32Array, layer.bias.data as Float32Array)).toBeLessThanOrEqual(1e-4);
    });
    webgpu.result.history.forEach((record, e) => expect(record.trainLoss).toBeCloseTo(cpu.result.history[e]!.trainLoss, 4));
  });

  it('every block of a MobileNet-like graph (ReLU6, depthwise, Concat, Sigmoid, constant scaling, reshapes, Dropout 0.2) trains to the CPU tape\'s values within 1e-4', async () => {
    const model = tinyMobileModel(new Rng(6));
    const cpu = await finetuneOn(new CpuDevice(), model, { unfreeze: 4 });
    const webgpu = await finetuneOn(gpu.device!, model, { unfreeze: 4 });
    expect(cpu.result.frozen).toEqual([]);
    for (const [name, want] of cpu.values) expect(worstError(webgpu.values.get(name)!, want), name).toBeLessThanOrEqual(1e-4);
    webgpu.result.history.forEach((record, e) => expect(record.trainLoss).toBeCloseTo(cpu.result.history[e]!.trainLoss, 4));
  });
});
