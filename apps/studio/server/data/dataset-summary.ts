import { disposeDecodedInput, embeddingMap, preprocessImages, type LabeledSample } from '@cvf/core';
import type { DataSummary, Sample } from '../../src/api/schemas.js';
import { cpuDevice, type ConfigDataset } from './dataset-cache.js';

/** Sample thumbnails shown per class on the data page. */
const SAMPLES_PER_CLASS = 8;
/** Points on the embedding map: enough to see clusters, few enough to compute on a request. */
const MAX_EMBEDDED = 400;
/** The map is computed on images brought to this size: a 512² scan would make 262k-dimensional rows. */
const EMBEDDING_SIDE = 32;

/**
 * What the data page shows for a pipeline: classes, counts per split, a few train samples per
 * class, and a PCA-2 map (`embeddingMap`) of up to 400 train samples' preprocessed pixels
 * (the config's preprocessing, at 32×32).
 */
export async function datasetSummary(data: ConfigDataset, thumbnailUrl: (id: string) => string): Promise<DataSummary> {
  const { classes, train, val, test } = data.dataset;
  const counts = (samples: readonly LabeledSample[]) => {
    const out = classes.map(() => 0);
    for (const sample of samples) out[sample.classIndex]!++;
    return out;
  };
  const perClass = new Map<number, number>();
  const samples: Sample[] = [];
  for (const sample of train) {
    const seen = perClass.get(sample.classIndex) ?? 0;
    if (seen >= SAMPLES_PER_CLASS) continue;
    perClass.set(sample.classIndex, seen + 1);
    samples.push({ id: sample.id, label: sample.label, split: 'train', thumbnailUrl: thumbnailUrl(sample.id) });
  }
  return {
    classes: [...classes],
    splits: [
      { split: 'train', counts: counts(train) },
      { split: 'val', counts: counts(val) },
      { split: 'test', counts: counts(test) },
    ],
    samples,
    embedding: await embedding(data, evenlySpaced(train, MAX_EMBEDDED)),
  };
}

function evenlySpaced<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, k) => items[Math.floor((k * items.length) / count)]!);
}

async function embedding(data: ConfigDataset, samples: readonly LabeledSample[]): Promise<DataSummary['embedding']> {
  if (samples.length === 0) return [];
  const images = await Promise.all(samples.map((s) => s.load()));
  let batch;
  try {
    batch = await preprocessImages(cpuDevice, images, { ...data.config.preprocess, resize: { ...data.config.preprocess.resize, height: EMBEDDING_SIDE, width: EMBEDDING_SIDE } });
  } finally {
    for (const image of images) disposeDecodedInput(image);
  }
  const rows = batch.reshape([samples.length, batch.size / samples.length]);
  const map = await embeddingMap(rows, samples.map((s) => s.label), { device: cpuDevice });
  return samples.map((sample, i) => ({ id: sample.id, x: map.points[2 * i]!, y: map.points[2 * i + 1]!, label: sample.label }));
}
