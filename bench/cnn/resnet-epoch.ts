// bench:resnet-epoch — a ResNet-18 (torchvision's layout, 224² RGB) trains one epoch through the
// tape with Adam, in Node on the WebGPU Device, in Node on the CPU Device (the kernels' reference
// loops), and in headless Chromium on navigator.gpu; each prints steps, seconds per step, the loss
// of the first batch before and after, and the peak memory it can observe, and checks that the
// bytes held after step 1 equal those held after the last step (nothing leaks between steps).
// Usage: npx tsx --conditions=source bench/cnn/resnet-epoch.ts [--images 16] [--batch 4]
//          [--classes 1000] [--size 224] [--lr 0.001] [--backends webgpu,cpu,chromium]
// On lavapipe/SwiftShader (a CPU emulating a GPU) and the CPU reference loops the timings are
// proof that it runs, not speed.
import { CpuDevice, isSoftwareAdapter, WebGpuDevice, type AdapterDescription, type Device } from '@cvf/core';
import { createNodeDevice } from '@cvf/core/node';
import { openBundledPage } from '../../e2e/support/browser-page.js';
import { chromiumUnavailable } from '../../e2e/support/chromium.js';
import { machine, printTable, writeResults } from '../support/report.js';
import type { BrowserEpoch } from './resnet-epoch-browser.js';
import { PeakMemory } from './resnet-epoch-memory.js';
import { trainEpoch, type EpochOptions, type EpochResult } from './resnet-epoch-train.js';

const BACKENDS = ['webgpu', 'cpu', 'chromium'] as const;
type Backend = (typeof BACKENDS)[number];

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1]! : fallback);
const options: EpochOptions = {
  images: Number(option('--images', '16')),
  batch: Number(option('--batch', '4')),
  classes: Number(option('--classes', '1000')),
  size: Number(option('--size', '224')),
  lr: Number(option('--lr', '0.001')),
  seed: 17,
};
for (const [name, value] of Object.entries(options)) if (!(value > 0)) throw new Error(`--${name} ${value} must be a positive number`);
const backends = option('--backends', BACKENDS.join(',')).split(',') as Backend[];
for (const b of backends) if (!BACKENDS.includes(b)) throw new Error(`--backends: "${b}" is not one of ${BACKENDS.join(', ')}`);

interface Outcome {
  readonly backend: string;
  readonly adapter: AdapterDescription | null;
  readonly result: EpochResult;
  /** Peak bytes by figure. */
  readonly peaks: Record<string, number>;
  /** The figure whose value after step 1 and after the last step shows a leak (GPU bytes in use), or null where none is exact. */
  readonly leakFigure: string | null;
  readonly label: string;
}

const log = (backend: string) => (line: string) => console.log(`[${backend}] ${line}`);
const MiB = (bytes: number) => bytes / 2 ** 20;

async function inNode(device: Device, backend: string): Promise<Outcome> {
  const probe = PeakMemory.ofProcess(device).start();
  try {
    const result = await trainEpoch(device, options, probe, log(backend));
    probe.stop();
    const peaks = { ...probe.peaks };
    if (device instanceof WebGpuDevice) peaks['gpu allocated'] = device.bufferBytes.peak;
    const software = device.adapter === null || isSoftwareAdapter(device.adapter);
    return { backend, adapter: device.adapter, result, peaks, leakFigure: device.backend === 'webgpu' ? 'gpu in use' : null, label: software ? 'proof that it runs, not speed' : 'GPU' };
  } finally {
    probe.stop();
    device.destroy();
  }
}

async function inChromium(): Promise<Outcome> {
  const opened = await openBundledPage(new URL('./resnet-epoch-browser.ts', import.meta.url), { ready: 'runResnetEpoch', title: 'resnet-epoch' });
  const children = PeakMemory.ofChildren().start(500);
  try {
    opened.page.on('console', (message) => log('chromium')(message.text()));
    const epoch = (await opened.page.evaluate((o) => window.runResnetEpoch(o), options)) as BrowserEpoch;
    children.stop();
    const software = epoch.adapter === null || isSoftwareAdapter(epoch.adapter);
    return { backend: 'chromium webgpu', adapter: epoch.adapter, result: epoch.result, peaks: { ...epoch.peaks, ...children.peaks }, leakFigure: 'gpu in use', label: software ? 'proof that it runs, not speed' : 'GPU' };
  } finally {
    children.stop();
    await opened.close();
  }
}

const outcomes: Outcome[] = [];
const notes: string[] = [];
for (const backend of backends) {
  console.log(`[${backend}] ${options.images} images of ${options.size}² in batches of ${options.batch}, ${options.classes} classes, Adam lr ${options.lr}`);
  try {
    if (backend === 'webgpu') {
      const device = await createNodeDevice({ prefer: 'webgpu' });
      if (device.backend !== 'webgpu') notes.push('node webgpu: no WebGPU adapter here; skipped');
      else outcomes.push(await inNode(device, 'node webgpu'));
    } else if (backend === 'cpu') outcomes.push(await inNode(new CpuDevice(), 'node cpu'));
    else {
      const unavailable = chromiumUnavailable();
      if (unavailable) notes.push(`chromium: ${unavailable}; skipped`);
      else outcomes.push(await inChromium());
    }
  } catch (error) {
    notes.push(`${backend}: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    console.error(error);
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
printTable(
  outcomes.map(({ backend, adapter, result, label }) => {
    const later = result.steps.slice(1).map((s) => s.seconds);
    return {
      backend,
      adapter: adapter ? adapter.description || `${adapter.vendor} ${adapter.architecture}` : 'cpu reference kernels',
      // Strings: printTable would show counts with decimals.
      steps: String(result.steps.length),
      images: String(result.steps.reduce((n, s) => n + s.images, 0)),
      'first step s': result.steps[0]!.seconds,
      's/step after': later.length > 0 ? mean(later) : NaN,
      'loss before': result.lossBefore,
      'loss after': result.lossAfter,
      timings: label,
    };
  }),
);
console.log('');
const memoryRows = outcomes.flatMap(({ backend, result, peaks }) =>
  Object.entries(peaks).map(([figure, peak]) => ({
    backend,
    figure,
    'peak MiB': MiB(peak),
    'after step 1 MiB': figure in result.steps[0]!.memory ? MiB(result.steps[0]!.memory[figure]!) : NaN,
    'after last step MiB': figure in result.steps.at(-1)!.memory ? MiB(result.steps.at(-1)!.memory[figure]!) : NaN,
  })),
);
printTable(memoryRows);
const growth = outcomes.map(({ backend, result, leakFigure }) => {
  if (!leakFigure) return { backend, figure: null, afterFirst: null, afterLast: null, grew: null };
  const afterFirst = result.steps[0]!.memory[leakFigure]!;
  const afterLast = result.steps.at(-1)!.memory[leakFigure]!;
  console.log(`growth check [${backend}] ${leakFigure} after step 1: ${MiB(afterFirst).toFixed(1)} MiB, after step ${result.steps.length}: ${MiB(afterLast).toFixed(1)} MiB → ${afterLast > afterFirst ? `GREW by ${MiB(afterLast - afterFirst).toFixed(1)} MiB` : 'no growth'}`);
  return { backend, figure: leakFigure, afterFirst, afterLast, grew: afterLast > afterFirst };
});
notes.push(
  'loss before/after: the first batch, training-mode batch norm, before any update and after the epoch.',
  'first step includes compiling the pipelines (WebGPU); s/step after is the mean of the later steps.',
);
if (backends.includes('cpu')) notes.push('node cpu runs the kernels’ CPU references (float64 plain loops, the oracle): it proves the path, not CPU speed (bench:cnn measures the ORT CPU trainer).');
if (backends.includes('chromium')) notes.push('chromium processes rss sums VmRSS of every process this run started (browser, GPU, renderer; shared pages counted once per process), sampled every 0.5 s.');
if (outcomes.some((o) => o.label !== 'GPU')) notes.push('On lavapipe/SwiftShader the timings are proof that it runs, not speed.');
for (const note of notes) console.log(`note: ${note}`);
// A run of some backends writes its own file, so separate runs do not overwrite each other.
const file = writeResults(backends.length === BACKENDS.length ? 'resnet-epoch' : `resnet-epoch-${backends.join('-')}`, {
  benchmark: 'resnet-epoch',
  date: new Date().toISOString(),
  machine: machine(),
  options,
  outcomes: outcomes.map(({ backend, adapter, result, peaks, label }) => ({ backend, adapter, label, peaks, ...result })),
  growth,
  notes,
});
console.log(`wrote ${file}`);
if (notes.some((n) => n.includes('FAILED')) || growth.some((g) => g.grew)) process.exitCode = 1;
