import { afterAll, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import type { Device } from '../../compute/device.js';
import { Rng } from '../../compute/random.js';
import { trainSchema } from '../../config/sections/train.js';
import { gpuForTests } from '../../node/testing/index.js';
import { initCnnValues } from '../cnn/cnn-parameters.js';
import type { CnnSpec } from '../cnn/cnn-spec.js';
import { trainFixMatch } from '../fixmatch/fixmatch-trainer.js';
import { pretrainContrastive } from './contrastive-pretrain.js';

// Contrastive pre-training and FixMatch run on whichever Device they are given: on WebGPU
// (lavapipe here) their losses are the CPU kernels' (f32 sums in another order: 1e-4).
const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

const SPEC: CnnSpec = { inputChannels: 1, height: 8, width: 8, classes: 2, blocks: [{ kind: 'conv', channels: 4, kernel: 3, stride: 1 }, { kind: 'maxpool', size: 2 }, { kind: 'residual', channels: 8, stride: 1 }], bnMomentum: 0.1, bnEpsilon: 1e-5 };
const rng = new Rng(9);
const images = rng.floats(16 * 64, -1, 1);
const labels = Int32Array.from({ length: 16 }, (_, i) => i % 2);
const { pretrain, fixmatch } = trainSchema.parse({ pretrain: { method: 'supcon' }, fixmatch: { threshold: 0.5 } });
const initial = initCnnValues(SPEC, 1);

async function losses(device: Device): Promise<number[]> {
  const contrastive = await pretrainContrastive(device, SPEC, { images, labels }, { method: 'supcon', epochs: 2, batchSize: 8, temperature: 0.5, projectionDim: 8, optimizer: { kind: 'adam', lr: 1e-3 }, views: [pretrain!.views, pretrain!.views], seed: 1, initial });
  const { history } = await trainFixMatch(device, SPEC, { images: images.slice(0, 4 * 64), labels: labels.slice(0, 4) }, images.slice(4 * 64), { ...fixmatch!, epochs: 1, batchSize: 4, optimizer: { kind: 'adam', lr: 1e-3 }, seed: 1, initial });
  return [...contrastive.losses, history[0]!.labelledLoss, history[0]!.unlabelledLoss];
}

it.skipIf(!gpu.device)('webgpu: contrastive pre-training and FixMatch give the CPU kernels\' losses', async () => {
  const want = await losses(cpu);
  const got = await losses(gpu.device!);
  expect(want.every(Number.isFinite)).toBe(true);
  got.forEach((loss, i) => expect(Math.abs(loss - want[i]!), `loss ${i}: ${loss} vs ${want[i]}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(want[i]!))));
}, 120_000);
