import { redisUnavailable, startRedis, type RedisServer } from '@cvf/core/testing';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchFixture, jsonLines, singleProcessPredictions, type BatchFixture } from '../batch/testing/batch-fixture.js';
import { WorkerProcess } from '../batch/testing/worker-process.js';
import { runCli } from '../testing/run-cli.js';

interface Summary {
  shards: number;
  done: number;
  skipped: number;
  images: number;
  failed: { shard: string; start: number; end: number; error: string }[];
  merged?: string[];
}

function summaryOf(stdout: string): Summary {
  return JSON.parse(stdout.slice(stdout.indexOf('{\n'))) as Summary;
}

/**
 * Locks shorter than the default 30 s, so that a killed worker's shard is taken by another within
 * seconds; long enough that a live worker on a busy machine keeps its lock.
 */
const QUICK_STALL = ['--lock-duration', '5000', '--stalled-interval', '1000'];

// One Redis and two workers for the whole file (a worker takes seconds to start); the tests run in order.
describe.skipIf(redisUnavailable())('cvf batch on a BullMQ queue with cvf worker processes', () => {
  let redis: RedisServer;
  let fixture: BatchFixture;
  let expected: unknown[];
  let a: WorkerProcess;
  let b: WorkerProcess;

  beforeAll(async () => {
    redis = await startRedis();
    [a, b] = [WorkerProcess.start(redis.url, ['--threads', '1', ...QUICK_STALL]), WorkerProcess.start(redis.url, ['--threads', '1', ...QUICK_STALL])];
    fixture = await batchFixture('batch-queue', { perClass: 7 });
    expected = await singleProcessPredictions(fixture);
    await Promise.all([a, b].map((worker) => worker.waitFor((event) => event.type === 'ready')));
  }, 120_000);
  afterAll(async () => {
    for (const worker of [a, b]) {
      worker?.signal('SIGKILL');
      await worker?.exited;
    }
    await redis?.stop();
    if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
  });

  const produce = (out: string, ...more: string[]) => runCli('batch', 'predict', fixture.model, fixture.images, '-r', '--out', out, '--queue', redis.url, '--store', fixture.store, '--json', ...more);

  it('two workers complete a job; the merged predictions equal cvf predict --json; a re-run enqueues nothing', async () => {
    const out = join(fixture.dir, 'two-workers');
    const result = await produce(out, '--shard-size', '3');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(summaryOf(result.stdout)).toMatchObject({ shards: 7, done: 7, images: 21, failed: [] });
    expect(jsonLines(readFileSync(join(out, 'predictions.jsonl'), 'utf8'))).toEqual(expected);
    // Each shard computed once, and both workers took part.
    const computed = [...a.finishedShards(), ...b.finishedShards()].sort();
    expect(computed).toHaveLength(7);
    expect(new Set(computed).size).toBe(7);
    expect(a.finishedShards().length).toBeGreaterThan(0);
    expect(b.finishedShards().length).toBeGreaterThan(0);

    // Run again: every shard is finished, nothing is enqueued, and the workers compute nothing.
    const again = await produce(out, '--shard-size', '3');
    expect(again.exitCode, again.stdout).toBe(0);
    expect(summaryOf(again.stdout)).toMatchObject({ shards: 7, done: 7, skipped: 7, images: 0 });
    expect([...a.finishedShards(), ...b.finishedShards()]).toHaveLength(7);
  }, 120_000);

  it('a shard that keeps failing is retried, then reported with its error; the rest complete and the producer exits 1', async () => {
    // Shard ids depend on the dataset and the range only: a one-shard probe of 3 gives those of --shard-size 7.
    const probe = join(fixture.dir, 'probe');
    expect((await runCli('batch', 'predict', fixture.model, fixture.images, '-r', '--out', probe, '--store', fixture.store, '--device', 'cpu', '--shards', '3', '--shard-index', '0', '--json')).exitCode).toBe(0);
    const ids = (JSON.parse(readFileSync(join(probe, 'batch.json'), 'utf8')) as { shards: { id: string }[] }).shards.map((s) => s.id);
    const out = join(fixture.dir, 'failing');
    mkdirSync(join(out, 'shards', `${ids[1]}.jsonl`), { recursive: true });
    const result = await produce(out, '--shard-size', '7', '--attempts', '2', '--backoff', '100');
    expect(result.exitCode).toBe(1);
    const summary = summaryOf(result.stdout);
    expect(summary).toMatchObject({ shards: 3, done: 2, images: 14 });
    expect(summary.failed).toEqual([{ shard: ids[1], start: 7, end: 14, error: expect.stringMatching(/^\[BATCH_OUTPUT_FAILED\] cannot write .*\.jsonl: /) }]);
    expect([...a.events, ...b.events].filter((event) => event.state === 'failed' && event.shard === ids[1])).toHaveLength(2);
    expect(existsSync(join(out, 'shards', `${ids[0]}.done.json`)) && existsSync(join(out, 'shards', `${ids[2]}.done.json`))).toBe(true);
    expect(existsSync(join(out, 'predictions.jsonl'))).toBe(false);
  }, 120_000);

  it('a worker SIGKILLed mid-shard: the other takes the stalled shard, every image is there exactly once; SIGTERM ends a worker with exit code 0', async () => {
    const out = join(fixture.dir, 'killed');
    const [seenA, seenB] = [a.events.length, b.events.length];
    // Seven shards for two workers: each takes some, so the one killed is killed in a shard of its own.
    const producing = produce(out, '--shard-size', '3');
    const started = await a.waitFor((event) => event.state === 'started' && a.events.indexOf(event) >= seenA);
    a.signal('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');
    expect(a.finishedShards(seenA)).not.toContain(started.shard);
    const result = await producing;
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(b.finishedShards(seenB)).toContain(started.shard);
    const merged = jsonLines(readFileSync(join(out, 'predictions.jsonl'), 'utf8')) as { file: string }[];
    expect(merged.map((line) => line.file)).toEqual((expected as { file: string }[]).map((line) => line.file));
    expect(merged).toEqual(expected);
    // The killed worker's unfinished temporary file never became an output.
    expect(readdirSync(join(out, 'shards')).filter((name) => name.endsWith('.jsonl'))).toHaveLength(7);

    b.signal('SIGTERM');
    expect(await b.exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});
