import { disposeDecodedInput, embeddingMap, Predictor, preprocessImages, Tensor, type DecodedInput, type LabeledSample } from '@cvf/core';
import { bundleSourceAt, createOrtNodeRuntime } from '@cvf/core/node';
import type { DataSummary, Sample } from '../../src/api/schemas.js';
import { cpuDevice, type ConfigDataset } from './dataset-cache.js';

/** Sample thumbnails shown per class on the data page. */
const SAMPLES_PER_CLASS = 8;
/** Points on the embedding map: enough to see clusters, few enough to compute on a request. */
const MAX_EMBEDDED = 400;
/** The map is computed on images brought to this size: a 512² scan would make 262k-dimensional rows. */
const EMBEDDING_SIDE = 32;

/** Images through the model per batch when the map is of a model's features. */
const BATCH = 64;

/** The registered model whose features the map shows: the newest version of the pipeline's model. */
export interface EmbeddingModel {
  readonly name: string;
  readonly version: number;
  readonly bundle: string;
}

/**
 * What the data page shows for a pipeline: classes, counts per split, a few train samples per
 * class, and a PCA-2 map (`embeddingMap`) of up to 400 train samples — of the features the
 * pipeline's registered model computes (after its PCA: what its index and head see), or, before
 * any model exists, of the preprocessed pixels (the config's preprocessing, at 32×32).
 */
export async function datasetSummary(data: ConfigDataset, thumbnailUrl: (id: string) => string, model: EmbeddingModel | null): Promise<DataSummary> {
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
    embedding: (await embedding(data, evenlySpaced(train, MAX_EMBEDDED), model)).map((point) => ({ ...point, thumbnailUrl: thumbnailUrl(point.id) })),
    embeddingOf: model ? { kind: 'model', name: model.name, version: model.version } : { kind: 'pixels' },
  };
}

function evenlySpaced<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, k) => items[Math.floor((k * items.length) / count)]!);
}

async function embedding(data: ConfigDataset, samples: readonly LabeledSample[], model: EmbeddingModel | null): Promise<Omit<DataSummary['embedding'][number], 'thumbnailUrl'>[]> {
  if (samples.length === 0) return [];
  const rows = model ? await modelFeatures(model, samples) : await pixelRows(data, samples);
  const map = await embeddingMap(rows, samples.map((s) => s.label), { device: cpuDevice });
  return samples.map((sample, i) => ({ id: sample.id, x: map.points[2 * i]!, y: map.points[2 * i + 1]!, label: sample.label }));
}

/** The samples' features as the model's Predictor computes them (after PCA), one row each. */
async function modelFeatures(model: EmbeddingModel, samples: readonly LabeledSample[]): Promise<Tensor> {
  const predictor = await Predictor.load(await bundleSourceAt(model.bundle), { device: cpuDevice, onnxRuntime: await createOrtNodeRuntime() });
  try {
    const rows: number[][] = [];
    for (let start = 0; start < samples.length; start += BATCH) {
      const images = await loadAll(samples.slice(start, start + BATCH));
      try {
        for (const prediction of await predictor.predict(images, { similar: 0, features: true })) rows.push(prediction.features!);
      } finally {
        images.forEach(disposeDecodedInput);
      }
    }
    return Tensor.cpu('f32', [rows.length, rows[0]!.length], Float32Array.from(rows.flat()));
  } finally {
    await predictor.release();
  }
}

async function pixelRows(data: ConfigDataset, samples: readonly LabeledSample[]): Promise<Tensor> {
  const images = await loadAll(samples);
  try {
    const batch = await preprocessImages(cpuDevice, images, { ...data.config.preprocess, resize: { ...data.config.preprocess.resize, height: EMBEDDING_SIDE, width: EMBEDDING_SIDE } });
    return batch.reshape([samples.length, batch.size / samples.length]);
  } finally {
    images.forEach(disposeDecodedInput);
  }
}

function loadAll(samples: readonly LabeledSample[]): Promise<DecodedInput[]> {
  return Promise.all(samples.map((s) => s.load()));
}
