// bench/train/epochs-per-second: training throughput of the heads at the sizes of the default
// pipeline, on synthetic blobs (speed only; accuracy is bench/train/run.ts's job):
// - softmax head on 54,000 × 64 features, batch 512;
// - MLP 128→256→10 on 54,000 × 128 features, batch 128, dropout 0.2, AdamW (the Fashion-MNIST config).
// Usage: npx tsx --conditions=source bench/train/epochs-per-second.ts [--epochs N] [--webgpu]
// Reports wall-clock and process CPU seconds: on a shared machine the CPU time is the steadier figure.
import { CpuDevice, syntheticBlobs, trainHead, type Device, type HeadSpec, type TrainOptions } from '@cvf/core';
import { createNodeDevice } from '@cvf/core/node';
import { machine, printTable, writeResults } from '../support/report.js';

const args = process.argv.slice(2);
const epochs = Number(args[args.indexOf('--epochs') + 1] ?? 0) || 3;
const devices: Device[] = [new CpuDevice()];
if (args.includes('--webgpu')) {
  const gpu = await createNodeDevice({ prefer: 'auto' });
  if (gpu.backend === 'webgpu') devices.push(gpu);
}

const cases: { name: string; spec: HeadSpec; options: TrainOptions }[] = [
  {
    name: 'softmax 64→10, batch 512',
    spec: { head: 'softmax', inputDim: 64, classes: 10 },
    options: { epochs, batchSize: 512, optimizer: { kind: 'adam', lr: 0.05 }, earlyStopping: { enabled: false } },
  },
  {
    name: 'mlp 128→256→10, batch 128',
    spec: { head: 'mlp', inputDim: 128, classes: 10, hidden: [256], activation: 'relu', dropout: 0.2 },
    options: { epochs, batchSize: 128, optimizer: { kind: 'adamw', lr: 1e-3, weightDecay: 1e-4 }, schedule: { kind: 'cosine', warmupEpochs: 1 }, labelSmoothing: 0.1, earlyStopping: { enabled: false } },
  },
];

const rows: Record<string, string | number>[] = [];
for (const { name, spec, options } of cases) {
  const data = syntheticBlobs({ rows: 54_000, dim: spec.inputDim, classes: 10, seed: 1 });
  for (const device of devices) {
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    await trainHead(device, spec, options, data);
    await device.synchronize();
    const wall = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpuBefore);
    const cpuSeconds = (used.user + used.system) / 1e6;
    rows.push({ head: name, backend: device.backend, epochs, 'wall s': wall, 'epochs/s (wall)': epochs / wall, 'cpu s': cpuSeconds, 'epochs/s (cpu)': epochs / cpuSeconds });
  }
}
printTable(rows);
console.log(`results: ${writeResults('train-epochs-per-second', { machine: machine(), rows })}`);
for (const device of devices) device.destroy();
