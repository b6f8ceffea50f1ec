// bench/layers: the layer kernels at ResNet-18's shapes (224² input) and one ResNet-18 training
// step through the tape, on the compute core's WebGPU backend, beside PyTorch 1.13 on the CPU
// (Debian python3-torch, same shapes, same thread count) and ONNX Runtime's Conv (cpu EP).
// Usage: npx tsx --conditions=source bench/layers/run.ts [--quick] [--batch N] [--threads N]
// On lavapipe (Mesa's CPU Vulkan) the WebGPU figures only prove the path runs and fits in memory;
// they say nothing about GPU speed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  forwardContext,
  OnnxGraphBuilder,
  Rng,
  softmaxCrossEntropy,
  Tape,
  Tensor,
  type Device,
  type KernelDef,
} from '@cvf/core';
import { createNodeDevice, createOrtNodeRuntime } from '@cvf/core/node';
import { machine, printTable, timeIt, writeResults } from '../support/report.js';
import { resnet18 } from '../support/resnet18.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const quick = argv.includes('--quick');
const batch = option('--batch', quick ? 1 : 2);
const threads = option('--threads', 2);
const size = quick ? 128 : 224;
// Spatial sizes scale with the input (224 → 56, 14, 7 inside; 128 → 32, 8, 4).
const scale = size / 224;

/** ResNet-18's distinct convolutions at this input size: the stem and the first of each stage. */
const CONVS = [
  { name: 'stem 7×7/2, 3→64', x: [batch, 3, size, size], w: [64, 3, 7, 7], stride: 2, pad: 3 },
  { name: 'layer1 3×3, 64→64', x: [batch, 64, 56 * scale, 56 * scale], w: [64, 64, 3, 3], stride: 1, pad: 1 },
  { name: 'layer2 3×3/2, 64→128', x: [batch, 64, 56 * scale, 56 * scale], w: [128, 64, 3, 3], stride: 2, pad: 1 },
  { name: 'layer3 3×3, 256→256', x: [batch, 256, 14 * scale, 14 * scale], w: [256, 256, 3, 3], stride: 1, pad: 1 },
  { name: 'layer4 3×3, 512→512', x: [batch, 512, 7 * scale, 7 * scale], w: [512, 512, 3, 3], stride: 1, pad: 1 },
];

const rng = new Rng(18);
const rows: { op: string; shape: string; backend: string; ms: number; gflops: number }[] = [];
const gpu = await createNodeDevice({ prefer: 'webgpu' });
if (gpu.backend !== 'webgpu') throw new Error('bench/layers needs a WebGPU adapter (lavapipe or a GPU); none was found');
const runtime = await createOrtNodeRuntime();

async function timeKernel(device: Device, kernel: KernelDef<string, string, unknown>, inputs: Record<string, Tensor>, attrs: unknown): Promise<number> {
  const resident = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, device.upload(t)]));
  const seconds = await timeIt(
    async () => {
      const out = await device.run(kernel, resident, attrs);
      await device.synchronize();
      for (const t of Object.values(out)) t.dispose();
    },
    { minSeconds: 0.3, minRepeats: 2 },
  );
  for (const t of Object.values(resident)) t.dispose();
  return seconds;
}

const size4 = (s: number[]) => s.reduce((a, b) => a * b, 1);
for (const c of CONVS) {
  const outSide = Math.floor((c.x[2]! + 2 * c.pad - c.w[2]!) / c.stride) + 1;
  const dyShape = [batch, c.w[0]!, outSide, outSide];
  const flops = 2 * size4(dyShape) * c.w[1]! * c.w[2]! * c.w[3]!;
  const attrs = { strides: [c.stride, c.stride], pads: [c.pad, c.pad, c.pad, c.pad] };
  const x = Tensor.cpu('f32', c.x, rng.floats(size4(c.x)));
  const w = Tensor.cpu('f32', c.w, rng.floats(size4(c.w), -0.1, 0.1));
  const dy = Tensor.cpu('f32', dyShape, rng.floats(size4(dyShape)));
  const shape = `x [${c.x.join(', ')}]`;
  const add = (op: string, backend: string, seconds: number) => rows.push({ op: `${c.name} ${op}`, shape, backend, ms: seconds * 1e3, gflops: flops / seconds / 1e9 });
  add('forward', 'cvf webgpu', await timeKernel(gpu, conv2d as KernelDef<string, string, unknown>, { x, w, b: Tensor.cpu('f32', [c.w[0]!]) }, attrs));
  add('dx', 'cvf webgpu', await timeKernel(gpu, conv2dBackwardInput as KernelDef<string, string, unknown>, { dy, w }, { ...attrs, inputSize: [c.x[2], c.x[3]] }));
  add('dw', 'cvf webgpu', await timeKernel(gpu, conv2dBackwardWeight as KernelDef<string, string, unknown>, { x, dy }, { ...attrs, kernelShape: [c.w[2], c.w[3]] }));
  const g = new OnnxGraphBuilder('conv');
  g.input('x', 'float32', c.x);
  g.output(g.conv('x', g.initializer('w', w.data as Float32Array, c.w), undefined, { kernelShape: [c.w[2]!, c.w[3]!], strides: [c.stride, c.stride], pads: [c.pad, c.pad, c.pad, c.pad] }), 'y');
  const session = await runtime.createSession(g.toBytes(), { executionProviders: ['cpu'], intraOpNumThreads: threads });
  const feeds = { x: { type: 'float32' as const, dims: c.x, data: x.data as Float32Array } };
  add('forward', `onnxruntime cpu (${threads} threads)`, await timeIt(async () => void (await session.run(feeds)), { minSeconds: 0.3, minRepeats: 2 }));
  await session.release();
}


const CLASSES = 10;
const net = resnet18(CLASSES);
const images = gpu.upload(Tensor.cpu('f32', [batch, 3, size, size], rng.floats(batch * 3 * size * size)));
const labels = gpu.upload(Tensor.cpu('i32', [batch], Int32Array.from({ length: batch }, (_, i) => i % CLASSES)));
const classWeights = gpu.upload(Tensor.cpu('f32', [CLASSES], new Float32Array(CLASSES).fill(1)));
const rowWeights = gpu.upload(Tensor.cpu('f32', [batch], new Float32Array(batch).fill(1)));
async function trainStep(seed: number): Promise<void> {
  const tape = new Tape(gpu);
  const logits = await net.forward(forwardContext(gpu, { training: true, tape, seed }), images);
  const { grad, loss } = await gpu.run(softmaxCrossEntropy, { logits, labels, weights: classWeights, rowWeights }, { scale: 1 / batch });
  const { parameters } = await tape.backward(logits, grad);
  await gpu.synchronize();
  for (const t of [grad, loss, logits, ...parameters.values()]) t.dispose();
}
const STEP_REPEATS = quick ? 1 : 2;
await trainStep(0);
const started = performance.now();
for (let k = 1; k <= STEP_REPEATS; k++) await trainStep(k);
const stepSeconds = (performance.now() - started) / 1e3 / STEP_REPEATS;
// ResNet-18's forward is 1.82 GFLOPs per 224² image (multiply-adds × 2); a training step is ~3×.
const stepFlops = 3 * 2 * 1.82e9 * batch * scale * scale;
rows.push({ op: 'ResNet-18 training step (forward + backward)', shape: `batch ${batch}, ${size}²`, backend: 'cvf webgpu (tape)', ms: stepSeconds * 1e3, gflops: stepFlops / stepSeconds / 1e9 });

const peerSpec = { threads, repeats: quick ? 1 : 3, convs: CONVS, step: { batch, size, classes: CLASSES, repeats: STEP_REPEATS } };
const peer = spawnSync('/usr/bin/python3', [fileURLToPath(new URL('./torch-peer.py', import.meta.url)), JSON.stringify(peerSpec)], { encoding: 'utf8', maxBuffer: 1 << 24 });
const notes = [
  'cvf webgpu: inputs resident on the GPU; time = dispatch + wait for completion.',
  'On lavapipe/SwiftShader (a CPU emulating a GPU) the webgpu figures prove the path runs and fits in memory, not speed.',
];
let torchVersion = null;
if (peer.status === 0) {
  const result = JSON.parse(peer.stdout) as { torch: string; convs: { name: string; forward: number; forward_backward: number }[]; step: number };
  torchVersion = result.torch;
  for (const c of result.convs) {
    const conv = CONVS.find((k) => k.name === c.name)!;
    const outSide = Math.floor((conv.x[2]! + 2 * conv.pad - conv.w[2]!) / conv.stride) + 1;
    const flops = 2 * batch * conv.w[0]! * outSide * outSide * conv.w[1]! * conv.w[2]! * conv.w[3]!;
    rows.push({ op: `${c.name} forward`, shape: `x [${conv.x.join(', ')}]`, backend: `pytorch ${result.torch} cpu (${threads} threads)`, ms: c.forward * 1e3, gflops: flops / c.forward / 1e9 });
    rows.push({ op: `${c.name} forward + dx + dw`, shape: `x [${conv.x.join(', ')}]`, backend: `pytorch ${result.torch} cpu (${threads} threads)`, ms: c.forward_backward * 1e3, gflops: (3 * flops) / c.forward_backward / 1e9 });
  }
  rows.push({ op: 'ResNet-18 training step (forward + backward)', shape: `batch ${batch}, ${size}²`, backend: `pytorch ${result.torch} cpu (${threads} threads)`, ms: result.step * 1e3, gflops: stepFlops / result.step / 1e9 });
} else notes.push(`PyTorch peer failed (Debian python3-torch under /usr/bin/python3): ${peer.stderr.trim().split('\n').at(-1)}`);

rows.sort((a, b) => a.op.localeCompare(b.op));
printTable(rows.map((r) => ({ op: r.op, shape: r.shape, backend: r.backend, ms: r.ms, 'GFLOP/s': r.gflops })));
for (const note of notes) console.log(`note: ${note}`);
const file = writeResults('layers', { benchmark: 'layers', date: new Date().toISOString(), machine: machine(), webgpuAdapter: gpu.adapter, onnxruntime: runtime.version, torch: torchVersion, batch, size, threads, notes, rows });
console.log(`wrote ${file}`);
gpu.destroy();
