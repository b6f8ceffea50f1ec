import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { maxRelError } from '../../compute/harness.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { exportImportedNetwork, importOnnxModel } from '../import/onnx-import.js';
import { tinyMobileModel } from '../import/testing/tiny-mobile-model.js';
import { tinyResNetModel } from '../import/testing/tiny-resnet-model.js';
import { forwardContext } from '../tape/layer.js';
import { finetuneNetwork, finetuneParts, type FinetuneSettings } from './finetune-trainer.js';

// Fine-tuning a tiny backbone from the graph builder (blocks: conv stem, two residual blocks, a
// grouped conv, two linear layers): only the last N blocks change, the loss falls, and the export
// is the same graph with the trained values.

const cpu = new CpuDevice();
const rng = new Rng(12);
const item = [3, 10, 10] as const;
const rows = 24;
const labels = Int32Array.from({ length: rows }, (_, i) => i % 3);
// Each class lights a different channel: learnable from the pooled features.
const images = new Float32Array(rows * 300);
for (let r = 0; r < rows; r++) for (let i = 0; i < 300; i++) images[r * 300 + i] = rng.normal() * 0.3 + (Math.floor(i / 100) === labels[r] ? 1 : 0);
const settings: FinetuneSettings = { unfreeze: 4, lr: 0.01, headLr: 0.05, optimizer: 'adam', weightDecay: 0, epochs: 5, batchSize: 8, labelSmoothing: 0, seed: 2, classes: 3, head: { head: 'softmax' } };

const snapshot = (params: readonly { name: string; value: Tensor }[]) => new Map(params.map((p) => [p.name, Float32Array.from(p.value.data as Float32Array)]));

describe('fine-tuning an imported backbone', () => {
  it('trains only the last N blocks with the head, lowers the loss, and exports the trained graph', async () => {
    const model = tinyResNetModel(new Rng(8));
    const network = importOnnxModel(model);
    // The last 4 of 6 blocks: the second residual block, the grouped conv and the two linear layers.
    const { frozen, trained } = finetuneParts(network.graph, 4);
    const frozenInitializers = frozen!.bindings().map((b) => b.initializer);
    expect(frozenInitializers).toEqual(expect.arrayContaining(['stem.weight', 'stem.bn.mean', 'r1.conv1.weight', 'r1.bn2.scale']));
    expect(frozenInitializers.some((name) => name.startsWith('r2.'))).toBe(false);
    const before = snapshot(network.graph.parameters());
    const frozenNames = new Set(frozen!.parameters().map((p) => p.name));
    expect(frozenNames.size).toBeGreaterThan(0);
    expect(trained.parameters().length).toBeGreaterThan(0);

    const result = await finetuneNetwork(cpu, network.graph, { images, labels, item }, settings);
    expect(result.frozen.sort()).toEqual([...frozenNames].sort());
    expect(result.history.at(-1)!.trainLoss).toBeLessThan(result.history[0]!.trainLoss * 0.75);
    for (const p of network.graph.parameters()) {
      const now = (await cpu.read(p.value)) as Float32Array;
      const changed = maxRelError(now, before.get(p.name)!) > 0;
      expect(changed, `${p.name} ${frozenNames.has(p.name) ? 'frozen' : 'trained'}`).toBe(!frozenNames.has(p.name));
    }
    expect(result.head.spec).toEqual({ head: 'softmax', inputDim: 4, classes: 3 });

    const exported = await exportImportedNetwork(network, cpu);
    const session = await ort.InferenceSession.create(exported);
    const x = images.slice(0, 2 * 300);
    const want = (await session.run({ image: new ort.Tensor('float32', x, [2, ...item]) })).logits!;
    await session.release();
    const got = await network.graph.forward(forwardContext(cpu, { training: false }), Tensor.cpu('f32', [2, ...item], x));
    expect(maxRelError(got.data as Float32Array, want.data as Float32Array)).toBeLessThan(1e-5);
  });

  it('fine-tunes a MobileNet-like graph (ReLU6, depthwise, Concat, Sigmoid, reshapes, Dropout): the loss falls and ORT serves the export as the tape computes', async () => {
    const network = importOnnxModel(tinyMobileModel(new Rng(6)));
    const { trained } = finetuneParts(network.graph, 2);
    const result = await finetuneNetwork(cpu, network.graph, { images, labels, item }, { ...settings, unfreeze: 2, lr: 0.05, headLr: 0.1, head: { head: 'softmax' } });
    expect(result.trained).toEqual(trained.parameters().map((p) => p.name));
    // The last two blocks: the Concat of the branches (with the Sigmoid, scaling, pools and Dropout after it) and the Gemm.
    expect(trained.bindings().map((b) => b.initializer).sort()).toEqual(['branch.a.weight', 'branch.b.weight', 'fc.bias', 'fc.weight']);
    // Measured 1.35 → 0.80 over the five epochs.
    expect(result.history.at(-1)!.trainLoss).toBeLessThan(result.history[0]!.trainLoss * 0.75);
    const session = await ort.InferenceSession.create(await exportImportedNetwork(network, cpu));
    const x = images.slice(0, 2 * 300);
    const want = (await session.run({ image: new ort.Tensor('float32', x, [2, ...item]) })).embedding!;
    await session.release();
    const got = await network.graph.forward(forwardContext(cpu, { training: false }), Tensor.cpu('f32', [2, ...item], x));
    expect(maxRelError(got.data as Float32Array, want.data as Float32Array)).toBeLessThan(1e-5);
  });

  it('refuses to unfreeze more blocks than the backbone has, naming how many it has', () => {
    const { graph } = importOnnxModel(tinyResNetModel(new Rng(8)));
    expect(() => finetuneParts(graph, 7)).toThrow(/unfreeze is 7, but the backbone has 6 blocks \(conv at .*residual at .*\); expected 1\.\.6/);
    expect(finetuneParts(graph, 6).frozen).toBeNull();
  });
});
