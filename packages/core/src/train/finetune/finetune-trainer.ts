import type { Device } from '../../compute/device.js';
import { softmaxCrossEntropy } from '../../compute/kernels/softmax-cross-entropy/softmax-cross-entropy.js';
import { Tensor } from '../../compute/tensor.js';
import { TrainError } from '../../errors.js';
import type { Head, HeadSpec } from '../head.js';
import type { ImportedGraph } from '../import/imported-graph.js';
import { Optimizer, type OptimizerKind } from '../optimizer.js';
import { deriveSeed, SEED_PURPOSE } from '../seeds.js';
import { ActivationLayer, DropoutLayer } from '../tape/activation-layer.js';
import { forwardContext, type Layer, type Parameter } from '../tape/layer.js';
import { LinearLayer } from '../tape/linear-layer.js';
import { Sequential } from '../tape/sequential.js';
import { Tape } from '../tape/tape.js';
import { shuffledRows } from '../trainer.js';

export interface FinetuneSettings {
  /** Blocks trained with the head, counted from the output; the others stay frozen (batch norm on its running statistics). */
  readonly unfreeze: number;
  /** Learning rate of the unfrozen blocks. */
  readonly lr: number;
  /** Learning rate of the head. */
  readonly headLr: number;
  readonly optimizer: OptimizerKind;
  readonly weightDecay: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly labelSmoothing: number;
  readonly seed: number;
  readonly classes: number;
  /** The head trained with the blocks: softmax (one linear layer) or an MLP. */
  readonly head: Pick<HeadSpec, 'head'> & { hidden?: readonly number[]; activation?: 'relu' | 'gelu'; dropout?: number };
}

/** Preprocessed training images [n, ...item] and their labels. */
export interface FinetuneData {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly item: readonly [number, number, number];
}

export interface FinetuneResult {
  /** The trained head on the host, over the backbone's embedding. */
  readonly head: Head;
  /** Mean training loss of each epoch. */
  readonly epochLosses: number[];
  /** The backbone's parameters trained, and those left as they were. */
  readonly trained: string[];
  readonly frozen: string[];
}

/** The backbone cut before its last `unfreeze` blocks: the frozen part (null when every block trains) and the trained one. */
export function finetuneParts(graph: ImportedGraph, unfreeze: number): { frozen: ImportedGraph | null; trained: ImportedGraph } {
  const blocks = graph.blocks();
  if (!Number.isInteger(unfreeze) || unfreeze < 1 || unfreeze > blocks.length) {
    throw new TrainError('TRAIN_INVALID_OPTIONS', `finetune unfreeze is ${unfreeze}, but the backbone has ${blocks.length} blocks (${blocks.map((b) => `${b.kind} at ${b.firstNode}`).join(', ')}); expected 1..${blocks.length}`);
  }
  const cut = blocks[blocks.length - unfreeze]!.input;
  if (cut === graph.input) return { frozen: null, trained: graph };
  const { before, after } = graph.split(cut);
  return { frozen: before, trained: after };
}

/**
 * Fine-tunes an imported backbone on the tape (the CPU path of a CPU Device; any Device runs it):
 * each batch runs the frozen blocks for inference (no tape), then the unfrozen blocks and the head
 * recorded, softmax cross-entropy on the Device, one backward pass, and the optimizer's step on the
 * unfrozen parameters (at `lr`) and the head's (at `headLr`). The backbone's parameters are
 * updated in place, so `exportImportedNetwork` writes them back into its ONNX model.
 */
export async function finetuneNetwork(device: Device, graph: ImportedGraph, data: FinetuneData, settings: FinetuneSettings, onEpoch?: (epoch: number, loss: number) => void): Promise<FinetuneResult> {
  const { frozen, trained } = finetuneParts(graph, settings.unfreeze);
  const size = data.item[0] * data.item[1] * data.item[2];
  const rows = data.labels.length;
  const batchOf = (indices: ArrayLike<number>) => {
    const out = new Float32Array(indices.length * size);
    for (let i = 0; i < indices.length; i++) out.set(data.images.subarray(indices[i]! * size, (indices[i]! + 1) * size), i * size);
    return device.upload(Tensor.cpu('f32', [indices.length, ...data.item], out));
  };
  const frozenFeatures = async (x: Tensor) => {
    if (!frozen) return x;
    const features = await frozen.forward(forwardContext(device, { training: false }), x);
    x.dispose();
    return features;
  };

  // The embedding's width, from one image through the backbone without updating anything.
  const probe = await frozenFeatures(batchOf([0]));
  const probeOut = await trained.forward(forwardContext(device, { training: false }), probe);
  const dim = probeOut.size;
  probe.dispose();
  probeOut.dispose();

  const head = headLayers(dim, settings);
  const backboneParameters = trained.parameters();
  const headParameters = head.parameters();
  const optimizerOf = (parameters: readonly Parameter[], lr: number) => Optimizer.create(device, { kind: settings.optimizer, lr, weightDecay: settings.weightDecay }, parameters.map((p) => (p.value = device.upload(p.value))));
  const groups = [
    { parameters: backboneParameters, lr: settings.lr, optimizer: optimizerOf(backboneParameters, settings.lr) },
    { parameters: headParameters, lr: settings.headLr, optimizer: optimizerOf(headParameters, settings.headLr) },
  ];
  const network = new Sequential('finetune', [trained, head]);
  const classWeights = device.upload(Tensor.cpu('f32', [settings.classes], new Float32Array(settings.classes).fill(1)));
  const epochLosses: number[] = [];
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const order = shuffledRows(rows, deriveSeed(settings.seed, SEED_PURPOSE.shuffle, epoch));
      let lossSum = 0;
      for (let start = 0; start < rows; start += settings.batchSize) {
        const indices = order.subarray(start, Math.min(rows, start + settings.batchSize));
        const n = indices.length;
        const features = await frozenFeatures(batchOf(indices));
        const tape = new Tape(device);
        const logits = await network.forward(forwardContext(device, { training: true, tape, seed: deriveSeed(settings.seed, SEED_PURPOSE.dropout, epoch, start) }), features);
        const labels = device.upload(Tensor.cpu('i32', [n], Int32Array.from(indices, (i) => data.labels[i]!)));
        const rowWeights = device.upload(Tensor.cpu('f32', [n], new Float32Array(n).fill(1)));
        const { grad, loss } = await device.run(softmaxCrossEntropy, { logits, labels, weights: classWeights, rowWeights }, { scale: 1 / n, labelSmoothing: settings.labelSmoothing });
        // Rows are scaled by 1/n (the batch mean's gradient): × n for the batch's total.
        lossSum += ((await device.read(loss)) as Float32Array).reduce((a, b) => a + b, 0) * n;
        const { parameters: gradients } = await tape.backward(logits, grad);
        for (const group of groups) {
          const grads = group.parameters.map((p) => gradients.get(p.name) ?? device.upload(Tensor.cpu('f32', p.value.shape)));
          const updated = await group.optimizer.step(
            group.parameters.map((p) => p.value),
            grads,
            { lr: group.lr, decay: group.parameters.map((p) => p.value.shape.length > 1) },
          );
          group.parameters.forEach((p, i) => (p.value = updated[i]!));
          for (const g of grads) g.dispose();
        }
        // Also those of values the model has no initializer for (a MatMul's absent bias): not trained.
        for (const g of gradients.values()) g.dispose();
        for (const t of [logits, labels, rowWeights, grad, loss, features]) t.dispose();
      }
      epochLosses.push(lossSum / rows);
      onEpoch?.(epoch, lossSum / rows);
    }
  } finally {
    classWeights.dispose();
    for (const group of groups) group.optimizer.dispose();
  }
  return {
    head: await hostHead(device, head, dim, settings),
    epochLosses,
    trained: backboneParameters.map((p) => p.name),
    frozen: frozen ? frozen.parameters().map((p) => p.name) : [],
  };
}

/** The head as tape layers: one linear layer (softmax), or hidden linear → activation → dropout layers then the output layer (mlp). */
function headLayers(dim: number, settings: FinetuneSettings): Sequential {
  const widths = [dim, ...(settings.head.head === 'mlp' ? (settings.head.hidden ?? []) : []), settings.classes];
  const layers: Layer[] = [];
  for (let k = 0; k + 1 < widths.length; k++) {
    layers.push(new LinearLayer(`head.${k}`, widths[k]!, widths[k + 1]!, deriveSeed(settings.seed, SEED_PURPOSE.init, k)));
    if (k + 2 < widths.length) layers.push(new ActivationLayer(`head.${k}.activation`, settings.head.activation ?? 'relu'), new DropoutLayer(`head.${k}.dropout`, settings.head.dropout ?? 0));
  }
  return new Sequential('head', layers);
}

async function hostHead(device: Device, head: Sequential, dim: number, settings: FinetuneSettings): Promise<Head> {
  const linear = head.layers.filter((l): l is LinearLayer => l instanceof LinearLayer);
  const host = async (t: Tensor) => Tensor.cpu('f32', t.shape, Float32Array.from((await device.read(t)) as Float32Array));
  const layers = await Promise.all(linear.map(async (l) => ({ weight: await host(l.weight.value), bias: await host(l.bias.value) })));
  const spec: HeadSpec =
    settings.head.head === 'mlp'
      ? { head: 'mlp', inputDim: dim, classes: settings.classes, hidden: settings.head.hidden ?? [], activation: settings.head.activation ?? 'relu', dropout: settings.head.dropout ?? 0 }
      : { head: 'softmax', inputDim: dim, classes: settings.classes };
  return { spec, layers };
}
