import { openTrackingStore } from '@cvf/core/node';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchFixture, jsonLines, singleProcessPredictions, type BatchFixture } from '../batch/testing/batch-fixture.js';
import { runCli } from '../testing/run-cli.js';

interface Summary {
  type: 'summary';
  shards: number;
  done: number;
  skipped: number;
  images: number;
  failed: { shard: string; start: number; end: number; error: string }[];
  merged?: string[];
  imageErrors?: number;
  runId?: string;
}

/** The summary a `cvf batch … --json` ends with (after its one-line progress events). */
function summaryOf(stdout: string): Summary {
  return JSON.parse(stdout.slice(stdout.indexOf('{\n'))) as Summary;
}

function shardFiles(out: string, suffix: string): string[] {
  return readdirSync(join(out, 'shards'))
    .filter((name) => name.endsWith(suffix))
    .sort();
}

describe('cvf batch without Redis', () => {
  let fixture: BatchFixture;
  let expected: unknown[];
  beforeAll(async () => {
    fixture = await batchFixture('batch-local', { perClass: 7 });
    expected = await singleProcessPredictions(fixture);
  }, 120_000);
  afterAll(() => {
    if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
  });

  const batch = (kind: 'predict' | 'embed', out: string, ...more: string[]) => runCli('batch', kind, fixture.model, fixture.images, '-r', '--out', out, '--store', fixture.store, '--device', 'cpu', '--json', ...more);

  it('runs every shard in this process and merges them into what cvf predict --json gives, recording the run', async () => {
    const out = join(fixture.dir, 'all');
    const result = await batch('predict', out, '--shard-size', '4');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const summary = summaryOf(result.stdout);
    expect(summary).toMatchObject({ shards: 6, done: 6, skipped: 0, images: 21, failed: [] });
    expect(jsonLines(readFileSync(join(out, 'predictions.jsonl'), 'utf8'))).toEqual(expected);
    expect(shardFiles(out, '.done.json')).toHaveLength(6);

    const run = JSON.parse((await runCli('runs', 'show', summary.runId!, '--store', fixture.store, '--json')).stdout);
    expect(run.status).toBe('finished');
    expect(run.params).toMatchObject({ kind: 'predict', datasetSize: 21, shards: 6 });
    expect(run.latestMetrics).toMatchObject({ images: 21, shards: 6, shards_failed: 0 });
    // Followed live: the counts at each settled shard (step), then the final ones.
    const images = (run.history as { key: string; value: number; step: number }[]).filter((point) => point.key === 'images');
    expect(images.map((point) => [point.step, point.value])).toEqual([[0, 0], [1, 4], [2, 8], [3, 12], [4, 16], [5, 20], [6, 21], [6, 21]]);
  });

  it('a re-run skips the finished shards: nothing is computed or written again', async () => {
    const out = join(fixture.dir, 'all');
    const before = shardFiles(out, '.jsonl').map((name) => statSync(join(out, 'shards', name)).mtimeMs);
    const again = await batch('predict', out, '--shard-size', '4');
    expect(again.exitCode).toBe(0);
    expect(summaryOf(again.stdout)).toMatchObject({ shards: 6, done: 6, skipped: 6, images: 0 });
    expect(shardFiles(out, '.jsonl').map((name) => statSync(join(out, 'shards', name)).mtimeMs)).toEqual(before);
    expect(jsonLines(readFileSync(join(out, 'predictions.jsonl'), 'utf8'))).toEqual(expected);
  });

  it('--shard-index I --shards N (or JOB_COMPLETION_INDEX) runs one shard each; merge refuses until all are done, then equals cvf predict', async () => {
    const out = join(fixture.dir, 'indexed');
    const runIds: string[] = [];
    for (const index of ['0', '2']) {
      const one = await batch('predict', out, '--shards', '3', '--shard-index', index);
      expect(one.exitCode, one.stdout).toBe(0);
      expect(summaryOf(one.stdout)).toMatchObject({ shards: 1, done: 1, failed: [] });
      runIds.push(summaryOf(one.stdout).runId!);
    }
    expect(existsSync(join(out, 'predictions.jsonl'))).toBe(false);
    const early = await runCli('batch', 'merge', out, '--json');
    expect(early.exitCode).toBe(1);
    const missing = JSON.parse(early.stdout).error;
    expect(missing.code).toBe('BATCH_INCOMPLETE');
    expect(missing.message).toMatch(/1 of 3 shards are not finished \([0-9a-f]{16}-000000007-000000014\)/);

    // What a worker killed mid-write leaves behind: removed by the merge, never merged.
    const leftover = join(out, 'shards', `${JSON.parse(readFileSync(join(out, 'batch.json'), 'utf8')).shards[1].id}.jsonl.tmp-999999-0badc0de`);
    writeFileSync(leftover, '{"half": ');
    process.env.JOB_COMPLETION_INDEX = '1';
    try {
      const pod = await batch('predict', out, '--shards', '3');
      expect(pod.exitCode).toBe(0);
      runIds.push(summaryOf(pod.stdout).runId!);
    } finally {
      delete process.env.JOB_COMPLETION_INDEX;
    }
    // Each pod recorded a run of its own, tagged with its shard, with its images and failures.
    const store = await openTrackingStore(fixture.store);
    try {
      const plan = JSON.parse(readFileSync(join(out, 'batch.json'), 'utf8')) as { shards: { id: string }[] };
      const runs = await Promise.all(runIds.map((id) => store.getRun(id)));
      expect(runs.map((run) => [run.status, run.tags])).toEqual(
        [0, 2, 1].map((index) => ['finished', { shardIndex: String(index), shardCount: '3', shard: plan.shards[index]!.id }]),
      );
      for (const run of runs) {
        expect(run.experiment).toBe('batch');
        expect(run.params).toMatchObject({ kind: 'predict', datasetSize: 21, shards: 3, out });
        expect(run.latestMetrics).toMatchObject({ images: 7, image_errors: 0, shards: 1, shards_failed: 0 });
      }
    } finally {
      await store.close();
    }
    const merged = await runCli('batch', 'merge', out, '--json');
    expect(merged.exitCode, merged.stdout).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({ kind: 'predict', images: 21, shards: 3, errors: 0 });
    expect(existsSync(leftover)).toBe(false);
    expect(jsonLines(readFileSync(join(out, 'predictions.jsonl'), 'utf8'))).toEqual(expected);
  });

  it('a shard whose output cannot be written fails with its error; the other shards complete, the run is failed, the exit code is 1', async () => {
    // Shard ids depend on the dataset and the range only: a one-shard probe of 3 gives those of --shard-size 7.
    const probe = join(fixture.dir, 'probe');
    expect((await batch('predict', probe, '--shards', '3', '--shard-index', '0')).exitCode).toBe(0);
    const ids = (JSON.parse(readFileSync(join(probe, 'batch.json'), 'utf8')) as { shards: { id: string }[] }).shards.map((s) => s.id);
    const out = join(fixture.dir, 'failing');
    mkdirSync(join(out, 'shards', `${ids[1]}.jsonl`), { recursive: true });
    const result = await batch('predict', out, '--shard-size', '7');
    expect(result.exitCode).toBe(1);
    const summary = summaryOf(result.stdout);
    expect(summary).toMatchObject({ shards: 3, done: 2, images: 14 });
    expect(summary.failed).toEqual([{ shard: ids[1], start: 7, end: 14, error: expect.stringMatching(/^\[BATCH_OUTPUT_FAILED\] cannot write .*\.jsonl: /) }]);
    expect(shardFiles(out, '.done.json')).toEqual([`${ids[0]}.done.json`, `${ids[2]}.done.json`]);
    expect(existsSync(join(out, 'predictions.jsonl'))).toBe(false);
    const run = JSON.parse((await runCli('runs', 'show', summary.runId!, '--store', fixture.store, '--json')).stdout);
    expect(run.status).toBe('failed');
    expect(run.latestMetrics).toMatchObject({ images: 14, shards_failed: 1 });
  });

  it('embed writes each image\'s features as float32 rows with their ids, in dataset order', async () => {
    const out = join(fixture.dir, 'embed');
    const result = await batch('embed', out, '--shard-size', '8');
    expect(result.exitCode, result.stdout).toBe(0);
    const ids = JSON.parse(readFileSync(join(out, 'ids.json'), 'utf8')) as string[];
    expect(ids).toEqual(expected.map((p) => (p as { file: string }).file));
    const bytes = readFileSync(join(out, 'embeddings.f32'));
    const vectors = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    // The pattern pipeline keeps 8 PCA components.
    expect(vectors.length).toBe(ids.length * 8);
    expect(vectors.every(Number.isFinite)).toBe(true);
    expect(new Set(Array.from({ length: ids.length }, (_, i) => vectors.subarray(i * 8, i * 8 + 8).join(','))).size).toBeGreaterThan(ids.length / 2);
  });

  it('embed: an unreadable image is an error line and has no row; the other images are still embedded, ids.json names the rows', async () => {
    const folder = join(fixture.dir, 'with-unreadable');
    mkdirSync(folder);
    const readable = readdirSync(join(fixture.images, 'hbars')).slice(0, 3);
    for (const name of readable) copyFileSync(join(fixture.images, 'hbars', name), join(folder, name));
    writeFileSync(join(folder, 'broken.png'), 'not a PNG');
    const out = join(fixture.dir, 'embed-unreadable');
    const result = await runCli('batch', 'embed', fixture.model, folder, '--out', out, '--store', fixture.store, '--device', 'cpu', '--json');
    // As batch predict with an error line: every output written, the exit code says an image failed.
    expect(result.exitCode, result.stdout + result.stderr).toBe(1);
    expect(summaryOf(result.stdout)).toMatchObject({ shards: 1, done: 1, images: 4, failed: [], imageErrors: 1 });
    const ids = JSON.parse(readFileSync(join(out, 'ids.json'), 'utf8')) as string[];
    expect([...ids].sort()).toEqual(readable.map((name) => join(folder, name)).sort());
    const bytes = readFileSync(join(out, 'embeddings.f32'));
    const vectors = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    expect(vectors.length).toBe(3 * 8);
    expect(vectors.every(Number.isFinite)).toBe(true);
    expect(jsonLines(readFileSync(join(out, 'errors.jsonl'), 'utf8'))).toEqual([{ file: join(folder, 'broken.png'), error: { code: 'INPUT_UNSUPPORTED_MEDIA', message: expect.stringContaining('broken.png') } }]);
  });

  it("a pipeline config as the dataset: every case of its data section (train, val, test), named by sample id", async () => {
    const out = join(fixture.dir, 'config');
    const result = await runCli('batch', 'predict', fixture.model, join(fixture.dir, 'pipeline.yaml'), '--out', out, '--store', fixture.store, '--device', 'cpu', '--json');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const lines = jsonLines(readFileSync(join(out, 'predictions.jsonl'), 'utf8')) as { file: string; label: string }[];
    // The fixture trained on 8 pattern images per class, in class folders.
    const files = ['hbars', 'vbars', 'square'].flatMap((label) => readdirSync(join(fixture.dir, 'train', label)).map((name) => `${label}/${name}`));
    expect(lines.map((line) => line.file).sort()).toEqual(files.sort());
    expect(lines.every((line) => ['hbars', 'vbars', 'square'].includes(line.label))).toBe(true);
  });

  it('an output folder of another job, a dataset that does not exist, a queue nothing answers at, --shard-index without --shards: refused with their codes', async () => {
    const other = await batch('predict', join(fixture.dir, 'all'), '--shard-size', '5');
    expect(other.exitCode).toBe(2);
    expect(JSON.parse(other.stdout).error).toMatchObject({ code: 'BATCH_OUT_MISMATCH', message: expect.stringContaining('in 6 shards') });
    const missing = await runCli('batch', 'predict', fixture.model, join(fixture.dir, 'no-such-folder'), '--out', join(fixture.dir, 'missing'), '--store', fixture.store, '--json');
    expect(missing.exitCode).toBe(2);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ code: 'BATCH_DATASET_NOT_FOUND', message: expect.stringContaining('no-such-folder does not exist') });
    // Port 1 on loopback: nothing listens there.
    const noRedis = await batch('predict', join(fixture.dir, 'no-redis'), '--queue', 'redis://127.0.0.1:1');
    expect(noRedis.exitCode).toBe(2);
    expect(JSON.parse(noRedis.stdout.slice(noRedis.stdout.indexOf('{\n'))).error).toMatchObject({ code: 'BATCH_QUEUE_UNREACHABLE', message: expect.stringContaining('no Redis answers at redis://127.0.0.1:1') });
    const worker = await runCli('worker', '--queue', 'redis://127.0.0.1:1', '--json');
    expect(worker.exitCode).toBe(2);
    expect(JSON.parse(worker.stdout).error.code).toBe('BATCH_QUEUE_UNREACHABLE');
    const usage = await batch('predict', join(fixture.dir, 'usage'), '--shard-index', '0');
    expect(usage.exitCode).toBe(2);
    expect(JSON.parse(usage.stdout).error).toMatchObject({ code: 'USAGE_INVALID', message: expect.stringContaining('--shard-index needs --shards') });
  });
});
