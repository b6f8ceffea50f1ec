// One epoch of a ResNet-18 (torchvision's layout) through the tape with Adam, on any Device.
// Shared by the Node driver (bench/cnn/resnet-epoch.ts) and the page (resnet-epoch-browser.ts):
// nothing here may import Node modules.
import { resnet18 } from '../support/resnet18.js';
import {
  forwardContext,
  Optimizer,
  Rng,
  Sequential,
  softmaxCrossEntropy,
  Tape,
  Tensor,
  type Device,
  type DType,
} from '@cvf/core';

export interface EpochOptions {
  readonly images: number;
  readonly batch: number;
  readonly classes: number;
  /** Side of the square RGB input (224 for ResNet-18's ImageNet shape). */
  readonly size: number;
  readonly lr: number;
  readonly seed: number;
}

/** Reads what memory the host can observe; `sample` runs after every kernel so a peak inside a step is seen. */
export interface MemoryProbe {
  sample(): void;
  /** Bytes held now, by name (e.g. "gpu in use", "rss"). */
  current(): Record<string, number>;
}

export interface StepRecord {
  readonly step: number;
  readonly images: number;
  readonly seconds: number;
  /** The batch's mean cross-entropy before this step's update. */
  readonly loss: number;
  /** The probe's `current()` right after the step (its GPU work finished). */
  readonly memory: Record<string, number>;
}

export interface EpochResult {
  readonly parameters: number;
  readonly steps: readonly StepRecord[];
  /** Mean loss of the first batch before any update, and of the same batch after the epoch (training-mode batch norm both times). */
  readonly lossBefore: number;
  readonly lossAfter: number;
}


/**
 * Synthetic images of `classes` kinds, generated per batch so the dataset never sits in memory:
 * class k is a coloured grating at angle πk/classes (frequency 3–7 cycles), plus uniform noise.
 */
export function syntheticBatch(first: number, count: number, { classes, size, seed }: Pick<EpochOptions, 'classes' | 'size' | 'seed'>): { x: Float32Array; labels: Int32Array } {
  const plane = size * size;
  const x = new Float32Array(count * 3 * plane);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const index = first + i;
    const label = index % classes;
    labels[i] = label;
    const rng = new Rng(seed * 1_000_003 + index);
    const angle = (Math.PI * label) / classes;
    const frequency = (2 * Math.PI * (3 + (label % 5))) / size;
    const [dx, dy] = [Math.cos(angle) * frequency, Math.sin(angle) * frequency];
    const phase = rng.next() * 2 * Math.PI;
    for (let c = 0; c < 3; c++) {
      const tint = Math.cos(label + (2 * Math.PI * c) / 3);
      const base = (i * 3 + c) * plane;
      for (let y = 0; y < size; y++) for (let xx = 0; xx < size; xx++) x[base + y * size + xx] = tint * Math.sin(xx * dx + y * dy + phase) + 0.3 * (rng.next() * 2 - 1);
    }
  }
  return { x, labels };
}

/**
 * Trains `net` for one epoch over `options.images` synthetic images in batches, with Adam. Every
 * tensor a step creates is released before the next (the tape releases its activations during the
 * backward pass; the step releases the batch, the loss, the gradients and the old parameters), so
 * the bytes held after each step stay those of the parameters and Adam's moments.
 */
export async function trainEpoch(device: Device, options: EpochOptions, probe: MemoryProbe, log: (line: string) => void = () => {}): Promise<EpochResult> {
  const { images, batch, classes, size, lr } = options;
  const run = sampled(device, probe);
  const net = resnet18(classes);
  const parameters = net.parameters();
  const parameterCount = parameters.reduce((n, p) => n + p.value.size, 0);
  const optimizer = Optimizer.create(run, { kind: 'adam', lr }, parameters.map((p) => p.value));
  const classWeights = run.upload(Tensor.cpu('f32', [classes], new Float32Array(classes).fill(1)));
  const steps: StepRecord[] = [];
  const count = Math.ceil(images / batch);
  for (let step = 0; step < count; step++) {
    const rows = Math.min(batch, images - step * batch);
    const data = syntheticBatch(step * batch, rows, options);
    const started = performance.now();
    const tape = new Tape(run);
    const x = run.upload(Tensor.cpu('f32', [rows, 3, size, size], data.x));
    const labels = run.upload(Tensor.cpu('i32', [rows], data.labels));
    const rowWeights = run.upload(Tensor.cpu('f32', [rows], new Float32Array(rows).fill(1)));
    const logits = await net.forward(forwardContext(run, { training: true, tape, seed: step }), x);
    const { grad, loss } = await run.run(softmaxCrossEntropy, { logits, labels, weights: classWeights, rowWeights }, { scale: 1 / rows });
    const { parameters: byName } = await tape.backward(logits, grad);
    const gradients = parameters.map((p) => byName.get(p.name)!);
    const updated = await optimizer.step(
      parameters.map((p) => p.value),
      gradients,
      { lr, decay: parameters.map(() => false) },
    );
    parameters.forEach((p, i) => (p.value = updated[i]!));
    // Reading the loss waits for the step's GPU work: the time is the whole step's.
    const rowLosses = (await run.read(loss)) as Float32Array;
    const seconds = (performance.now() - started) / 1e3;
    for (const t of [...gradients, grad, loss, logits, x, labels, rowWeights]) t.dispose();
    probe.sample();
    const record = { step: step + 1, images: rows, seconds, loss: sum(rowLosses), memory: probe.current() };
    steps.push(record);
    log(`step ${record.step}/${count}: ${rows} images, ${seconds.toFixed(1)} s, loss ${record.loss.toFixed(4)}`);
  }
  const lossAfter = await batchLoss(run, net, syntheticBatch(0, Math.min(batch, images), options), classWeights);
  for (const p of parameters) p.value.dispose();
  optimizer.dispose();
  classWeights.dispose();
  return { parameters: parameterCount, steps, lossBefore: steps[0]!.loss, lossAfter };
}

/** The mean loss of one batch, forward only (training-mode batch norm, as the step measured it). */
async function batchLoss(device: Device, net: Sequential, data: { x: Float32Array; labels: Int32Array }, classWeights: Tensor): Promise<number> {
  const rows = data.labels.length;
  const size = Math.sqrt(data.x.length / rows / 3);
  const x = device.upload(Tensor.cpu('f32', [rows, 3, size, size], data.x));
  const labels = device.upload(Tensor.cpu('i32', [rows], data.labels));
  const rowWeights = device.upload(Tensor.cpu('f32', [rows], new Float32Array(rows).fill(1)));
  const logits = await net.forward(forwardContext(device, { training: true }), x);
  const { grad, loss } = await device.run(softmaxCrossEntropy, { logits, labels, weights: classWeights, rowWeights }, { scale: 1 / rows });
  const value = sum((await device.read(loss)) as Float32Array);
  for (const t of [grad, loss, logits, x, labels, rowWeights]) t.dispose();
  return value;
}

function sum(values: Float32Array): number {
  return values.reduce((a, b) => a + b, 0);
}

/** The device, sampling memory after every kernel it runs (the CPU path never yields to a timer inside a step). */
function sampled(device: Device, probe: MemoryProbe): Device {
  return {
    backend: device.backend,
    adapter: device.adapter,
    upload: <D extends DType>(t: Tensor<D>) => device.upload(t),
    run: async (kernel, inputs, attrs) => {
      const out = await device.run(kernel, inputs, attrs);
      probe.sample();
      return out;
    },
    read: (t) => device.read(t),
    synchronize: () => device.synchronize(),
    destroy: () => device.destroy(),
  };
}
