import { redisUnavailable, startRedis, type RedisServer } from '@cvf/core/testing';
import { Redis } from 'ioredis';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';
import { patternImages, startConsume, startReferenceServer, trainPatternBundle, waitUntil, type ReferenceServer } from '../streams/consume-testing.js';

interface OutputEntry {
  readonly outId: string;
  readonly fields: Record<string, string>;
}

describe.skipIf(redisUnavailable())('cvf consume --redis-stream', () => {
  let dir: string;
  let bundle: string;
  let redis: RedisServer;
  let client: Redis;
  let images: Uint8Array[];
  let references: ReferenceServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-consume-redis-'));
    [bundle, redis, images] = await Promise.all([trainPatternBundle(dir), startRedis(), patternImages(24, 11)]);
    client = new Redis(redis.port, '127.0.0.1');
    references = await startReferenceServer(images);
  }, 120_000);
  afterAll(async () => {
    client?.disconnect();
    await references?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const streamUrl = (stream: string) => `redis://127.0.0.1:${redis.port}/${stream}`;
  const output = async (stream: string): Promise<OutputEntry[]> =>
    ((await client.xrange(stream, '-', '+')) as [string, string[]][]).map(([outId, list]) => ({ outId, fields: Object.fromEntries(list.flatMap((_, i) => (i % 2 === 0 ? [[list[i]!, list[i + 1]!]] : []))) }));
  const pendingCount = async (stream: string, group: string) => Number(((await client.xpending(stream, group)) as [number])[0]);

  it('answers every message — images, file and URL references — and bad payloads as error entries with a code; SIGTERM drains and exits 0', async () => {
    const refRoot = join(dir, 'refs');
    mkdirSync(refRoot);
    // What cvf predict answers for each image, read from a file.
    const files = [0, 1, 2, 3, 4, 5].map((i) => join(refRoot, `${i}.png`));
    files.forEach((file, i) => writeFileSync(file, images[i]!));
    const predictedFiles = await runCli('predict', bundle, ...files, '--device', 'cpu', '--no-audit', '--json');
    expect(predictedFiles.exitCode, predictedFiles.stderr).toBe(0);
    const predicted = new Map((JSON.parse(predictedFiles.stdout) as { label: string; probabilities: number[] }[]).map((p, i) => [i, p]));
    const inputs: { fields: (string | Buffer)[]; want: { status: 'ok'; image: number } | { status: 'error'; code: string } }[] = [
      ...[0, 2, 3, 4].map((i) => ({ fields: ['id', `img-${i}`, 'image', Buffer.from(images[i]!), 'content-type', 'image/png'], want: { status: 'ok' as const, image: i } })),
      { fields: ['id', 'file-1', 'ref', join(refRoot, '1.png')], want: { status: 'ok', image: 1 } },
      { fields: ['id', 'url-5', 'ref', `${references.url}/image/5`], want: { status: 'ok', image: 5 } },
      { fields: ['image', Buffer.from(images[6]!)], want: { status: 'error', code: 'STREAM_PAYLOAD_INVALID' } },
      { fields: ['id', 'empty'], want: { status: 'error', code: 'STREAM_PAYLOAD_INVALID' } },
      { fields: ['id', 'garbage', 'image', Buffer.from('not an image at all')], want: { status: 'error', code: 'INPUT_UNSUPPORTED_MEDIA' } },
      { fields: ['id', 'outside', 'ref', '/etc/passwd'], want: { status: 'error', code: 'STREAM_PAYLOAD_INVALID' } },
      { fields: ['id', 'gone', 'ref', `${references.url}/missing/1`], want: { status: 'error', code: 'STREAM_REFERENCE_FAILED' } },
    ];
    const ids: string[] = [];
    for (const input of inputs) ids.push((await client.xadd('scans', '*', ...input.fields))!);

    const consumer = startConsume([bundle, '--redis-stream', streamUrl('scans'), '--group', 'ward', '--ref-root', refRoot, '--batch', '4', '--device', 'cpu', '--metrics-port', '0', '--json']);
    await waitUntil('every message has its result', async () => (await client.xlen('scans:results')) >= inputs.length, consumer);
    // The stream's metrics while it runs: messages predicted, and failures by code.
    const metrics = await (await fetch(/metrics at (\S+);/.exec(consumer.stderr())![1]!)).text();
    expect(metrics).toContain('cvf_stream_frames_total{stream="scans"} 6');
    expect(metrics).toContain('cvf_stream_failures_total{stream="scans",code="STREAM_PAYLOAD_INVALID"} 3');
    expect(metrics).toContain('cvf_stream_failures_total{stream="scans",code="STREAM_REFERENCE_FAILED"} 1');
    consumer.child.kill('SIGTERM');
    const { code } = await consumer.exited;
    expect(code, consumer.stderr()).toBe(0);
    expect(JSON.parse(consumer.stdout().trim().split('\n').at(-1)!)).toEqual({ completed: inputs.length, stopped: true });

    const written = await output('scans:results');
    expect(written.map((e) => e.fields['source-id']).sort()).toEqual([...ids].sort());
    for (const [i, input] of inputs.entries()) {
      const entry = written.find((e) => e.fields['source-id'] === ids[i])!;
      expect(entry.fields.status, JSON.stringify(entry.fields)).toBe(input.want.status);
      if (input.want.status === 'ok') {
        expect(entry.fields.id).toBe(input.fields[1]);
        // The same Predictor as cvf predict: the same answer for the same image.
        const result = JSON.parse(entry.fields.result!) as { label: string; probabilities: number[] };
        const expected = predicted.get(input.want.image)!;
        expect(result.label).toBe(expected.label);
        result.probabilities.forEach((p, c) => expect(p).toBeCloseTo(expected.probabilities[c]!, 6));
      } else {
        expect((JSON.parse(entry.fields.error!) as { code: string }).code).toBe(input.want.code);
      }
      expect(JSON.parse(entry.fields.model!)).toMatchObject({ name: 'patterns', configHash: expect.any(String) });
    }
    expect(await pendingCount('scans', 'ward')).toBe(0);
  }, 180_000);

  it('a consumer SIGKILLed with batches in flight loses nothing: a second one claims its pending entries, and the output holds every input id exactly once', async () => {
    // m0..m3 inline, m4..m11 URLs the server holds (the first consumer is stuck mid-batch on them), m12..m19 inline.
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const fields = i >= 4 && i < 12 ? ['ref', `${references.url}/image/${i}`] : ['image', Buffer.from(images[i]!)];
      ids.push((await client.xadd('kill', '*', 'id', `m${i}`, ...fields))!);
    }
    references.hold();
    const first = startConsume([bundle, '--redis-stream', streamUrl('kill'), '--group', 'g', '--consumer', 'first', '--batch', '4', '--max-in-flight', '2', '--device', 'cpu', '--json']);
    await waitUntil('the first batch is written and two more are stuck on held references', async () => references.held.length === 8 && (await client.xlen('kill:results')) === 4, first);
    // Back-pressure: with two batches in flight, nothing more was read.
    const [, , , consumers] = (await client.xpending('kill', 'g')) as [number, string, string, [string, string][]];
    expect(consumers).toEqual([['first', '8']]);
    const groups = (await client.xinfo('GROUPS', 'kill')) as unknown[][];
    expect(groups[0]![groups[0]!.indexOf('last-delivered-id') + 1]).toBe(ids[11]);

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    references.release();
    const second = startConsume([bundle, '--redis-stream', streamUrl('kill'), '--group', 'g', '--consumer', 'second', '--claim-idle', '200', '--batch', '4', '--device', 'cpu', '--json']);
    await waitUntil('every entry is acknowledged', async () => (await client.xlen('kill:results')) >= 20 && (await pendingCount('kill', 'g')) === 0, second);
    second.child.kill('SIGTERM');
    expect((await second.exited).code, second.stderr()).toBe(0);

    const written = await output('kill:results');
    expect(written.map((e) => e.fields['source-id']).sort()).toEqual([...ids].sort());
    expect(written.map((e) => e.fields.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`).sort());
    expect(written.every((e) => e.fields.status === 'ok')).toBe(true);
  }, 180_000);

  it('refuses a missing group, a stream URL without a stream, and a server that is not there, naming what to give', async () => {
    const noGroup = await runCli('consume', bundle, '--redis-stream', streamUrl('scans'), '--json');
    expect(noGroup.exitCode).toBe(2);
    expect(JSON.parse(noGroup.stdout).error).toMatchObject({ code: 'USAGE_INVALID', message: expect.stringContaining('--group') });
    const noStream = await runCli('consume', bundle, '--redis-stream', `redis://127.0.0.1:${redis.port}`, '--group', 'g', '--json');
    expect(noStream.exitCode).toBe(2);
    expect(JSON.parse(noStream.stdout).error).toMatchObject({ code: 'STREAM_URL_INVALID', message: expect.stringContaining('names no stream') });
    // A server that is not there: nothing listens on a port just closed.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const absent = await runCli('consume', bundle, '--redis-stream', `redis://127.0.0.1:${closed}/scans`, '--group', 'g', '--device', 'cpu', '--json');
    expect(absent.exitCode).toBe(2);
    expect(JSON.parse(absent.stdout).error).toMatchObject({ code: 'STREAM_SERVER_FAILED', message: expect.stringContaining(`127.0.0.1:${closed}`) });
  }, 60_000);
});
