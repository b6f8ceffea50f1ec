import { CpuDevice, Rng } from '@cvf/core';
import { createOrtNodeRuntime, sharpImageDecoder } from '@cvf/core/node';
import { dicomInputDecoder } from '@cvf/medical';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternPng } from '../testing/pattern-images.js';
import { openBatchDataset, parseDatasetArgument } from './batch-dataset.js';
import { ShardRunner, type ShardTask } from './shard-runner.js';
import { shardsBySize } from './shard-plan.js';

// The committed schema v1 bundle of @cvf/core's tests.
const BUNDLE = fileURLToPath(new URL('../../../core/src/bundle/fixtures/v1/bundle', import.meta.url));

describe('ShardRunner', () => {
  const device = new CpuDevice();
  let dir: string;
  let runner: ShardRunner;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-shard-runner-'));
    const rng = new Rng(3);
    for (let i = 0; i < 4; i++) writeFileSync(join(dir, `${i}.png`), await patternPng(i % 3, rng));
    runner = new ShardRunner({ device, onnxRuntime: await createOrtNodeRuntime() });
  });
  afterAll(async () => {
    await runner?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The task of shard `index` of a job on the folder as it is now, shards of 2. */
  async function taskOnFolder(out: string, index: number): Promise<ShardTask> {
    const dataset = await openBatchDataset(parseDatasetArgument(dir, { recursive: false }), { device, decode: { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder } });
    const shards = shardsBySize(dataset.digest, dataset.items.length, 2);
    return { plan: { version: 1, kind: 'predict', model: { bundle: BUNDLE }, dataset: { spec: dataset.spec, digest: dataset.digest, size: dataset.items.length } }, shard: shards[index]!, out };
  }

  it('lists a folder again for a later job after files were added, and refuses a job planned on another listing', async () => {
    const first = await taskOnFolder(join(dir, 'out-1'), 0);
    expect((await runner.run(first)).done.images).toBe(2);
    writeFileSync(join(dir, '4.png'), await patternPng(1, new Rng(4)));
    // The same long-running runner, a job planned on the folder as it is now: its last shard holds the new image.
    const second = await taskOnFolder(join(dir, 'out-2'), 2);
    const outcome = await runner.run(second);
    expect(outcome).toMatchObject({ skipped: false, done: { images: 1, errors: 0 } });
    const line = JSON.parse(readFileSync(join(dir, 'out-2', 'shards', `${second.shard.id}.jsonl`), 'utf8'));
    expect(line.file).toBe(join(dir, '4.png'));
    // A task planned before the change: the listing no longer matches its digest.
    await expect(runner.run({ ...first, out: join(dir, 'out-3') })).rejects.toMatchObject({ code: 'BATCH_DATASET_CHANGED' });
  });
});
