import { CvfError, disposeDecodedInput, Predictor, type DecodedInput, type DecodeInputOptions, type Device, type OnnxRuntime } from '@cvf/core';
import { bundleSourceAt, loadResolvedBundle, sharpImageDecoder } from '@cvf/core/node';
import { dicomInputDecoder } from '@cvf/medical';
import { describeError, predictChunk } from '../commands/predict.js';
import { openBatchDataset, type BatchDataset, type BatchItem } from './batch-dataset.js';
import { readShardDone, writeShardOutputs, type ShardDone } from './shard-files.js';
import type { BatchPlan, Shard } from './shard-plan.js';

/** One shard of a batch job to compute: the job's plan (what, on what), which shard, and the output folder. */
export interface ShardTask {
  readonly plan: Omit<BatchPlan, 'shards'>;
  readonly shard: Shard;
  readonly out: string;
}

/** What became of a task: its done record, and whether it was computed now or found finished. */
export interface ShardOutcome {
  readonly done: ShardDone;
  readonly skipped: boolean;
}

/** Images decoded and predicted together, as `cvf predict` does. */
const CHUNK = 32;

interface LoadedModel {
  readonly predictor: Predictor;
  readonly decode: DecodeInputOptions;
}

/**
 * Computes shards with the same Predictor and decoding as `cvf predict`: each bundle is loaded
 * once and each dataset listed once per process, however many shards of them it is given. A
 * shard whose done record exists is skipped; a dataset whose listing no longer matches the job's
 * digest is refused (BATCH_DATASET_CHANGED) rather than computed on other images.
 */
export class ShardRunner {
  readonly #device: Device;
  readonly #onnxRuntime: OnnxRuntime;
  readonly #models = new Map<string, Promise<LoadedModel>>();
  readonly #datasets = new Map<string, Promise<BatchDataset>>();

  constructor(options: { device: Device; onnxRuntime: OnnxRuntime }) {
    this.#device = options.device;
    this.#onnxRuntime = options.onnxRuntime;
  }

  async run(task: ShardTask): Promise<ShardOutcome> {
    const finished = await readShardDone(task.out, task.shard.id);
    if (finished) return { done: finished, skipped: true };
    const { plan, shard } = task;
    const model = await this.#model(plan.model);
    let dataset = await this.#dataset(plan, model.decode);
    if (dataset.digest !== plan.dataset.digest) {
      // Listed for an earlier job, before the folder changed: listed again for this one.
      this.#datasets.delete(datasetKey(plan));
      dataset = await this.#dataset(plan, model.decode);
    }
    if (dataset.digest !== plan.dataset.digest) {
      throw new CvfError('BATCH_DATASET_CHANGED', `${dataset.description} lists other images now (digest ${dataset.digest.slice(0, 16)}, the job was planned on ${plan.dataset.digest.slice(0, 16)}); start the batch job again`);
    }
    const items = dataset.items.slice(shard.start, shard.end);
    const base = { shard, kind: plan.kind, digest: plan.dataset.digest, images: items.length };
    if (plan.kind === 'predict') {
      const { lines, errors } = await this.#predict(model, items, plan.similar);
      return { done: await writeShardOutputs(task.out, { ...base, errors }, new Map([[`${shard.id}.jsonl`, new TextEncoder().encode(lines)]])), skipped: false };
    }
    const { vectors, dim, ids, errorLines, errors } = await this.#embed(model, items);
    const outputs = new Map([
      [`${shard.id}.f32`, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength)],
      [`${shard.id}.ids.json`, new TextEncoder().encode(`${JSON.stringify(ids)}\n`)],
      [`${shard.id}.errors.jsonl`, new TextEncoder().encode(errorLines)],
    ]);
    return { done: await writeShardOutputs(task.out, { ...base, errors, dim }, outputs), skipped: false };
  }

  /** Releases every loaded model (the Device is the caller's). */
  async close(): Promise<void> {
    const models = await Promise.allSettled(this.#models.values());
    this.#models.clear();
    for (const model of models) if (model.status === 'fulfilled') await model.value.predictor.release();
  }

  /** `cvf predict --json`'s object per image, one line each, in dataset order. */
  async #predict(model: LoadedModel, items: readonly BatchItem[], similar: number | undefined): Promise<{ lines: string; errors: number }> {
    let lines = '';
    let errors = 0;
    for (let start = 0; start < items.length; start += CHUNK) {
      const chunk = items.slice(start, start + CHUNK);
      const byId = new Map(chunk.map((item) => [item.id, item]));
      const results = await predictChunk(model.predictor, chunk.map((item) => ({ file: item.id })), model.decode, similar, undefined, (id) => byId.get(id)!.load());
      for (const result of results) {
        if ('error' in result) errors++;
        lines += `${JSON.stringify(result)}\n`;
      }
    }
    return { lines, errors };
  }

  /**
   * Each image's features after PCA (what the case index holds), row after row, with the ids of
   * the rows. An image that cannot be read has no row: it is an error line instead (`cvf predict
   * --json`'s object for it, `{file, error}`), and the other images are still embedded.
   */
  async #embed(model: LoadedModel, items: readonly BatchItem[]): Promise<{ vectors: Float32Array; dim: number; ids: string[]; errorLines: string; errors: number }> {
    const rows: number[][] = [];
    const ids: string[] = [];
    let errorLines = '';
    let errors = 0;
    for (let start = 0; start < items.length; start += CHUNK) {
      const images: DecodedInput[] = [];
      const loaded: string[] = [];
      try {
        for (const item of items.slice(start, start + CHUNK)) {
          try {
            images.push(await item.load());
            loaded.push(item.id);
          } catch (error) {
            errorLines += `${JSON.stringify({ file: item.id, error: describeError(error) })}\n`;
            errors++;
          }
        }
        if (images.length === 0) continue;
        for (const prediction of await model.predictor.predict(images, { similar: 0, features: true })) rows.push(prediction.features!);
        ids.push(...loaded);
      } finally {
        images.forEach(disposeDecodedInput);
      }
    }
    const dim = rows[0]?.length ?? 0;
    const vectors = new Float32Array(rows.length * dim);
    rows.forEach((row, i) => vectors.set(row, i * dim));
    return { vectors, dim, ids, errorLines, errors };
  }

  #model(model: BatchPlan['model']): Promise<LoadedModel> {
    let loaded = this.#models.get(model.bundle);
    if (!loaded) {
      loaded = this.#loadModel(model);
      // A model that failed to load is tried again by the next shard (a retry may find it readable).
      loaded.catch(() => this.#models.delete(model.bundle));
      this.#models.set(model.bundle, loaded);
    }
    return loaded;
  }

  async #loadModel(model: BatchPlan['model']): Promise<LoadedModel> {
    const registered = model.name !== undefined && model.version !== undefined ? { name: model.name, version: model.version, digest: model.digest ?? null } : null;
    const bundle = await loadResolvedBundle({ source: await bundleSourceAt(model.bundle), registered });
    const predictor = await Predictor.load(bundle, { device: this.#device, onnxRuntime: this.#onnxRuntime });
    const { window } = bundle.manifest.preprocess;
    const decode: DecodeInputOptions = { device: this.#device, decoder: sharpImageDecoder, dicom: dicomInputDecoder, ...(window && { window }), contract: bundle.manifest.input, allowContractMismatch: false };
    return { predictor, decode };
  }

  #dataset(plan: ShardTask['plan'], decode: DecodeInputOptions): Promise<BatchDataset> {
    const key = datasetKey(plan);
    let dataset = this.#datasets.get(key);
    if (!dataset) {
      dataset = openBatchDataset(plan.dataset.spec, { device: this.#device, decode });
      dataset.catch(() => this.#datasets.delete(key));
      this.#datasets.set(key, dataset);
    }
    return dataset;
  }
}

/** Decoding depends on the model (its window and input contract): one listing per dataset and model. */
function datasetKey(plan: ShardTask['plan']): string {
  return JSON.stringify([plan.dataset.spec, plan.model.bundle]);
}
