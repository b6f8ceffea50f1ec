import { createIndex, predictProbabilities, STAGE_KINDS, trainHead, type Device, type Head, type VectorMetric } from '@cvf/core';

/** A labelled embedding: an opened image's features after the bundle's frozen extractor and PCA. */
export interface TaughtExample {
  readonly label: string;
  readonly features: Float32Array;
}

export interface TaughtHead {
  readonly head: Head;
  readonly classes: readonly string[];
  readonly heldOut: number;
  /** Accuracy on the held-out examples; null when none was held out. */
  readonly heldOutAccuracy: number | null;
  /** Per class: accuracy on its held-out examples, null when it has none. */
  readonly perClassAccuracy: Readonly<Record<string, number | null>>;
}

/** Which examples are held out: of each class with 4 or more, every 4th; with 2 or 3, the last; a single example always trains. */
export function heldOutMask(labels: readonly string[]): boolean[] {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const n = seen.get(label) ?? 0;
    seen.set(label, n + 1);
    const count = counts.get(label)!;
    if (count < 2) return false;
    return count < 4 ? n === count - 1 : n % 4 === 3;
  });
}

function stack(examples: readonly TaughtExample[]): Float32Array {
  const dim = examples[0]!.features.length;
  const out = new Float32Array(examples.length * dim);
  examples.forEach((e, i) => out.set(e.features, i * dim));
  return out;
}

/**
 * A softmax head over the frozen features, trained on the Device with core's trainer (the right
 * size of model for a handful of examples), scored per class on the held-out ones.
 */
export async function teachHead(device: Device, examples: readonly TaughtExample[]): Promise<TaughtHead> {
  const classes = [...new Set(examples.map((e) => e.label))];
  if (classes.length < 2) throw new Error(`teaching needs examples of at least 2 classes; labelled so far: ${classes.join(', ') || 'none'}`);
  const mask = heldOutMask(examples.map((e) => e.label));
  const train = examples.filter((_, i) => !mask[i]);
  const held = examples.filter((_, i) => mask[i]);
  const labelsOf = (list: readonly TaughtExample[]) => Int32Array.from(list, (e) => classes.indexOf(e.label));
  const dim = examples[0]!.features.length;
  const { head } = await trainHead(
    device,
    { head: 'softmax', inputDim: dim, classes: classes.length },
    { epochs: 60, batchSize: 32, optimizer: { kind: 'adam', lr: 0.1, weightDecay: 1e-3 }, earlyStopping: { enabled: false }, seed: 42 },
    { features: stack(train), labels: labelsOf(train) },
  );
  const perClassAccuracy: Record<string, number | null> = Object.fromEntries(classes.map((c) => [c, null]));
  let correct = 0;
  if (held.length > 0) {
    const probabilities = await predictProbabilities(device, head, stack(held));
    const hits = new Map<string, [number, number]>();
    held.forEach((e, i) => {
      const row = Array.from(probabilities.subarray(i * classes.length, (i + 1) * classes.length));
      const right = classes[row.indexOf(Math.max(...row))] === e.label;
      const [h, n] = hits.get(e.label) ?? [0, 0];
      hits.set(e.label, [h + (right ? 1 : 0), n + 1]);
      if (right) correct++;
    });
    for (const [label, [h, n]] of hits) perClassAccuracy[label] = h / n;
  }
  return { head, classes, heldOut: held.length, heldOutAccuracy: held.length > 0 ? correct / held.length : null, perClassAccuracy };
}

/**
 * The taught head and case index as bundle stages (core's stage savers): the index holds every
 * labelled embedding under an id the page made up, so similar cases come from what was taught.
 */
export async function taughtStages(taught: TaughtHead, examples: readonly TaughtExample[], metric: VectorMetric, k: number) {
  const head = STAGE_KINDS.head.save(taught.head, 1);
  const index = await createIndex({ kind: 'flat', dim: examples[0]!.features.length, metric });
  index.addBatch(
    examples.map((_, i) => i),
    stack(examples),
  );
  const ids = examples.map((_, i) => `taught-${i + 1}`);
  const indexStage = STAGE_KINDS.index.save(index, { ids, labels: examples.map((e) => e.label) }, { kind: 'flat', metric, k: Math.min(k, examples.length) });
  return { head, index: indexStage };
}

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
