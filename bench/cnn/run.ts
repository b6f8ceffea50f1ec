// bench/cnn: the CNN of `model.head: cnn` trained on the CPU — one ONNX Runtime graph per step
// with the gradients written out — beside PyTorch 1.13 (Debian python3-torch, CPU) in one run:
// the same small-ResNet blocks, AdamW (decay on conv and linear weights), cosine schedule per
// step, batch size, epochs and threads (2 by default: torch.set_num_threads and OMP_NUM_THREADS
// for the peer, intraOpNumThreads for ours), on the same Fashion-MNIST images. No augmentation on
// either side. Reports seconds and process CPU seconds per epoch (each side's mean over its
// epochs) and the accuracy on the official test set.
// Usage: npm run bench:cnn -- [--epochs N] [--limit N] [--batch N] [--threads N] [--test-limit N] [--spinning on|off|both] [--webgpu]
// A quick run: npm run bench:cnn -- --epochs 1 --limit 2000 --test-limit 1000
// --spinning: whether ORT's threads spin-wait between operators (the trainer's default: off); `both`
// trains once each way. Each row prints its CPU time against PyTorch's (the goal: ≤ 1.0×).
// --webgpu adds the same training on the WebGPU device through the tape's kernels (lavapipe here:
// a record that the path works, not a speed claim; a real GPU's figures where one is lent).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CnnEvalSession, CnnTrainer, CpuDevice, readIdx, SMALL_RESNET_BLOCKS, type CnnSpec, type Device, type TrainOptions } from '@cvf/core';
import { createNodeDevice, createOrtNodeRuntime } from '@cvf/core/node';
import { machine, printTable, writeResults } from '../support/report.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const epochs = option('epochs', 3);
const limit = option('limit', 60000);
const testLimit = option('test-limit', 10000);
const batchSize = option('batch', 128);
const threads = option('threads', 2);
const withWebgpu = args.includes('--webgpu');
const spinningArg = args.includes('--spinning') ? args[args.indexOf('--spinning') + 1] : 'off';
if (spinningArg !== 'on' && spinningArg !== 'off' && spinningArg !== 'both') throw new Error(`--spinning ${spinningArg}: use on, off or both`);
const spinnings = spinningArg === 'both' ? [false, true] : [spinningArg === 'on'];
const DATA = '/usr/share/datasets/fashion-mnist';
const NORMALIZE = { mean: 0.286, std: 0.353 };
const LR = 0.003;
const WEIGHT_DECAY = 0.0005;
const SEED = 1;

const spec: CnnSpec = { inputChannels: 1, height: 28, width: 28, classes: 10, blocks: SMALL_RESNET_BLOCKS, bnMomentum: 0.1, bnEpsilon: 1e-5 };

async function images(name: string, count: number) {
  const pixels = (await readIdx(readFileSync(`${DATA}/${name}-images-idx3-ubyte.gz`))).data as Uint8Array;
  const labels = (await readIdx(readFileSync(`${DATA}/${name}-labels-idx1-ubyte.gz`))).data as Uint8Array;
  const n = Math.min(count, labels.length);
  return { images: Float32Array.from(pixels.subarray(0, n * 784), (v) => (v / 255 - NORMALIZE.mean) / NORMALIZE.std), labels: Int32Array.from(labels.subarray(0, n)) };
}

console.log(`PyTorch peer: ${epochs} epoch(s) of ${limit} images, batch ${batchSize}, ${threads} threads ...`);
const here = dirname(fileURLToPath(import.meta.url));
const peerSpec = { data: DATA, ...NORMALIZE, limit, testLimit, epochs, batchSize, threads, lr: LR, weightDecay: WEIGHT_DECAY, seed: SEED, blocks: spec.blocks, bnMomentum: spec.bnMomentum };
const run = spawnSync('/usr/bin/python3', [join(here, 'torch_peer.py'), JSON.stringify(peerSpec)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) }, maxBuffer: 1 << 20 });
if (run.status !== 0) throw new Error(`the PyTorch peer failed: ${run.stderr}`);
const peer = JSON.parse(run.stdout) as { epochs: { seconds: number; cpuSeconds: number }[]; accuracy: number; torch: string };

const train = await images('train', limit);
const test = await images('t10k', testLimit);
const runtime = await createOrtNodeRuntime();
const options: TrainOptions = { epochs, batchSize, optimizer: { kind: 'adamw', lr: LR, weightDecay: WEIGHT_DECAY }, schedule: { kind: 'cosine' }, earlyStopping: { enabled: false }, seed: SEED };
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const peerSeconds = mean(peer.epochs.map((e) => e.seconds));
const peerCpu = mean(peer.epochs.map((e) => e.cpuSeconds));

/** Trains on `device` (CPU: ONNX Runtime step graphs; WebGPU: the tape) and scores the test set with the trained values in ORT. */
async function ours(device: Device, implementation: string, allowSpinning = false) {
  console.log(`${implementation} ...`);
  const cpuBefore = process.cpuUsage();
  const result = await new CnnTrainer(device, runtime, spec, options).fit(train, { threads, allowSpinning });
  const cpu = process.cpuUsage(cpuBefore);
  const evaluator = await CnnEvalSession.create(runtime, spec, { threads });
  const { logits } = await evaluator.forward(result.values, test.images);
  await evaluator.release();
  let correct = 0;
  for (let r = 0; r < test.labels.length; r++) {
    let best = 0;
    for (let c = 1; c < spec.classes; c++) if (logits[r * spec.classes + c]! > logits[r * spec.classes + best]!) best = c;
    if (best === test.labels[r]) correct++;
  }
  const seconds = mean(result.history.map((e) => e.seconds));
  const cpuSeconds = (cpu.user + cpu.system) / 1e6 / epochs;
  const row = { implementation, epochs, 'images/epoch': train.labels.length, 'seconds/epoch': seconds, 'cpu s/epoch': cpuSeconds, 'test accuracy': correct / test.labels.length, 'time vs PyTorch': seconds / peerSeconds, 'cpu vs PyTorch': cpuSeconds / peerCpu };
  return { row, history: result.history };
}

const runs: Awaited<ReturnType<typeof ours>>[] = [];
for (const allowSpinning of spinnings) runs.push(await ours(new CpuDevice(), `cvf ONNX Runtime step graphs${allowSpinning ? ' (spinning)' : ''}`, allowSpinning));
if (withWebgpu) {
  const gpu = await createNodeDevice({ prefer: 'webgpu' });
  if (gpu.backend === 'webgpu') runs.push(await ours(gpu, `cvf WebGPU tape (${gpu.adapter?.device ?? 'adapter'})`));
  else console.log('no WebGPU adapter: the WebGPU row is left out');
}
const rows = [
  { implementation: `PyTorch ${peer.torch} (CPU)`, epochs, 'images/epoch': train.labels.length, 'seconds/epoch': peerSeconds, 'cpu s/epoch': peerCpu, 'test accuracy': peer.accuracy, 'time vs PyTorch': 1, 'cpu vs PyTorch': 1 },
  ...runs.map((r) => r.row),
];
printTable(rows);
const file = writeResults('cnn', { machine: machine(), settings: { ...peerSpec, blocks: spec.blocks, spinning: spinningArg }, rows, ours: Object.fromEntries(runs.map((r) => [r.row.implementation, { history: r.history }])), peer });
console.log(`\nwrote ${file}`);
