import { CpuDevice, openDataset, type LabeledSample, type OpenedDataset, type PipelineConfig } from '@cvf/core';
import { loadPipelineConfigFile, nodeFileAccess, sharpImageDecoder } from '@cvf/core/node';
import { dicomDatasetOpeners } from '@cvf/medical';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Opened datasets kept (a data page asks for a summary, then a thumbnail per sample). */
const MAX_CACHED = 4;

/** A pipeline's dataset as `cvf train` opens it: the same splits (seeded), the same openers, on the CPU. */
export interface ConfigDataset {
  readonly config: PipelineConfig;
  readonly dataset: OpenedDataset;
  /** Every sample by id, with its split. */
  readonly byId: ReadonlyMap<string, { sample: LabeledSample; split: 'train' | 'val' | 'test' }>;
}

export const cpuDevice = new CpuDevice();

/**
 * Opens the `data` section of a config (relative paths from `baseDir`), reusing the last few
 * opened: a key is the config's identity (path and mtime, or a run's id) so an edited config reopens.
 */
export class DatasetCache {
  readonly #entries = new Map<string, Promise<ConfigDataset>>();

  /** The dataset of a config file on disk. */
  async ofConfigFile(path: string): Promise<ConfigDataset> {
    const info = await stat(path);
    return this.#get(`file:${path}:${info.mtimeMs}:${info.size}`, async () => open(await loadPipelineConfigFile(path), dirname(path)));
  }

  /** The dataset of a run's resolved config (a run's config never changes). */
  ofRun(runId: string, config: () => Promise<{ config: PipelineConfig; baseDir: string }>): Promise<ConfigDataset> {
    return this.#get(`run:${runId}`, async () => {
      const resolved = await config();
      return open(resolved.config, resolved.baseDir);
    });
  }

  #get(key: string, load: () => Promise<ConfigDataset>): Promise<ConfigDataset> {
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = load();
      // A failed open is not kept: the next request tries again (the file may be fixed by then).
      entry.catch(() => this.#entries.delete(key));
      this.#entries.set(key, entry);
      while (this.#entries.size > MAX_CACHED) this.#entries.delete(this.#entries.keys().next().value!);
    }
    return entry;
  }
}

async function open(config: PipelineConfig, baseDir: string): Promise<ConfigDataset> {
  const images = { device: cpuDevice, ...(config.preprocess.window ? { window: config.preprocess.window } : {}) };
  const dataset = await openDataset(config.data, { files: nodeFileAccess, decoder: sharpImageDecoder, baseDir, openers: dicomDatasetOpeners({ env: process.env, ...images }) });
  const byId = new Map<string, { sample: LabeledSample; split: 'train' | 'val' | 'test' }>();
  for (const split of ['train', 'val', 'test'] as const) for (const sample of dataset[split]) byId.set(sample.id, { sample, split });
  return { config, dataset, byId };
}
