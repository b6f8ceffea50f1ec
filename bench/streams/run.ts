// bench/streams: `cvf predict MODEL clip.mp4` on a 640×480 clip (ffmpeg's testsrc, H.264), frames
// per second with the decoding included — ffmpeg in its child process, scaled to the model's input
// size, every frame through the same Predictor, in batches, as `cvf predict` runs it (the CLI's
// stream code in this process: `predictStreams` of @cvf/cli, bundle load and ORT session outside the
// timing) — beside raw onnxruntime-node running the bundle's composed graph (the same model graph,
// the same default threads) on the same frames already decoded and laid out as its input tensors
// in memory, batch after batch.
// Model: the ResNet-18-shaped backbone of bench/edge (random weights, ResNet-18's cost) → PCA → softmax,
// trained by `cvf train` on Fashion-MNIST images; its bundle holds the composed graph.
// Goal (issue 18): frames/s of cvf predict ≥ 0.8 × raw ORT.
// Usage: npm run bench:streams -- [--frames N] [--size S] [--batch B] [--repeats R] [--vulkan]
import { composedGraphInput, CpuDevice, findStage, Predictor, type ImageTensor, type OnnxTensor } from '@cvf/core';
import { createOrtNodeRuntime, createOrtNodeWorkerRuntime, openVideoFrames, readBundleFolder } from '@cvf/core/node';
import { writeTestClip } from '@cvf/core/testing';
import { predictStreams } from '@cvf/cli';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainResnetBundle } from '../edge/bundles.js';
import { CPU_ONLY_ENV } from '../edge/cvf-cli.js';
import { machine, printTable, writeResults } from '../support/report.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const frameCount = option('--frames', 300);
const size = option('--size', 224);
const batch = option('--batch', 16);
const repeats = option('--repeats', 3);
const withVulkan = args.includes('--vulkan');
const env = withVulkan ? {} : CPU_ONLY_ENV;
// As bench/edge: a CPU-only box, so no ORT provider lands on a software Vulkan device.
Object.assign(process.env, env);

const RATE = 30;
const work = mkdtempSync(join(tmpdir(), 'cvf-bench-streams-'));
const loadAtStart = loadavg();
console.log(`bench/streams in ${work}; load average ${loadAtStart.map((l) => l.toFixed(1)).join(' ')}`);
console.log(`training the ResNet-18-shaped ${size}² bundle (cvf train, 90 images) ...`);
const bundleDir = await trainResnetBundle(join(work, 'resnet18'), env, size);
const clip = join(work, 'testsrc-640x480.mp4');
console.log(`clip: ${frameCount} frames of testsrc, 640×480 at ${RATE} fps (H.264, made by ffmpeg) ...`);
writeTestClip(clip, { kind: 'testsrc', width: 640, height: 480, rate: RATE, seconds: frameCount / RATE });

const bundle = await readBundleFolder(bundleDir);
const device = new CpuDevice();
// As `cvf predict` loads it for streams: ONNX Runtime on a worker thread, so ffmpeg's pipe is read while a batch runs.
const workerRuntime = await createOrtNodeWorkerRuntime();
const predictor = await Predictor.load(bundle, { device, onnxRuntime: workerRuntime });
if (predictor.forward !== 'composed') throw new Error(`the bundle runs ${predictor.forward}; the comparison needs its composed graph`);

/** `cvf predict`'s stream path: decode (ffmpeg, scaled) + batches through the Predictor; frames per second. */
async function cvfPredict(): Promise<{ fps: number; frames: number }> {
  const started = performance.now();
  const [outcome] = await predictStreams(predictor, bundle, [{ file: clip, kind: 'video' }], { device, every: 1, batch, driftWindow: 0, print: false });
  const seconds = (performance.now() - started) / 1000;
  if (!outcome || 'error' in outcome) throw new Error(`cvf predict failed: ${JSON.stringify(outcome)}`);
  return { fps: outcome.frames.length / seconds, frames: outcome.frames.length };
}

// The peer's input: the same frames (ffmpeg's decode at the model's size), as the graph's input tensors, in memory before timing.
const decoded: ImageTensor<'u8'>[] = [];
const video = await openVideoFrames(clip, { size: { width: size, height: size }, channels: 3 });
for await (const frame of video.frames) decoded.push(frame.image);
const feeds: OnnxTensor<'float32'>[] = [];
for (let start = 0; start < decoded.length; start += batch) feeds.push(composedGraphInput(decoded.slice(start, start + batch)));
const graph = join(bundleDir, findStage(bundle.manifest, 'composed')!.files.graph);
const session = await (await createOrtNodeRuntime()).createSession(new Uint8Array(readFileSync(graph)), { executionProviders: ['cpu'] });

/** Raw onnxruntime-node: the composed graph on the in-memory frames, batch after batch; frames per second. */
async function rawOrt(): Promise<{ fps: number; frames: number }> {
  const started = performance.now();
  for (const feed of feeds) await session.run({ [session.inputNames[0]!]: feed });
  return { fps: decoded.length / ((performance.now() - started) / 1000), frames: decoded.length };
}

// Warm both once, then alternate, so a change in the machine's load falls on both alike.
await cvfPredict();
await rawOrt();
const ours: number[] = [];
const raw: number[] = [];
for (let r = 0; r < repeats; r++) {
  ours.push((await cvfPredict()).fps);
  raw.push((await rawOrt()).fps);
}
await session.release();
await predictor.release();
await workerRuntime.close();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows = [
  { path: `cvf predict clip.mp4 (ffmpeg decode 640×480 → ${size}², batch ${batch})`, 'frames/s': median(ours), runs: ours.map((v) => v.toFixed(1)).join(' ') },
  { path: `raw onnxruntime-node, composed graph, frames in memory (batch ${batch})`, 'frames/s': median(raw), runs: raw.map((v) => v.toFixed(1)).join(' ') },
];
printTable(rows);
const ratio = median(ours) / median(raw);
const goal = { name: 'cvf predict frames/s ≥ 0.8 × raw ORT on the same frames in memory', value: ratio, limit: 0.8, met: ratio >= 0.8 };
console.log(`goal: ${goal.name}: ${ratio.toFixed(2)} — ${goal.met ? 'met' : 'not met'}`);
const loadAtEnd = loadavg();
console.log(`load average at the end: ${loadAtEnd.map((l) => l.toFixed(1)).join(' ')}`);
console.log(`results: ${writeResults('streams', { machine: machine(), loadAverage: { start: loadAtStart, end: loadAtEnd }, clip: { width: 640, height: 480, frames: decoded.length, rate: RATE }, modelSize: size, batch, vulkanHidden: !withVulkan, rows, goal })}`);
device.destroy();
rmSync(work, { recursive: true, force: true });
