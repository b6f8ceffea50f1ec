import { natsUnavailable, startNats, type NatsServer } from '@cvf/core/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, headers, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';
import { patternImages, startConsume, startReferenceServer, trainPatternBundle, waitUntil, type ReferenceServer } from '../streams/consume-testing.js';

interface OutputMessage {
  readonly sourceId: string;
  readonly id?: string;
  readonly status: 'ok' | 'error';
  readonly result?: { label: string };
  readonly error?: { code: string; message: string };
}

describe.skipIf(natsUnavailable())('cvf consume --nats', () => {
  let dir: string;
  let bundle: string;
  let nats: NatsServer;
  let connection: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let images: Uint8Array[];
  let references: ReferenceServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-consume-nats-'));
    [bundle, nats, images] = await Promise.all([trainPatternBundle(dir), startNats(), patternImages(16, 13)]);
    connection = await connect({ servers: nats.url });
    js = connection.jetstream();
    jsm = await connection.jetstreamManager();
    references = await startReferenceServer(images);
  }, 120_000);
  afterAll(async () => {
    await connection?.close();
    await references?.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Publishes one input: `id` and `ref` as headers, an inline image as the body. */
  async function publish(subject: string, fields: { id?: string; ref?: string; image?: Uint8Array }): Promise<string> {
    const h = headers();
    if (fields.id !== undefined) h.set('id', fields.id);
    if (fields.ref !== undefined) h.set('ref', fields.ref);
    const ack = await js.publish(subject, fields.image ?? new Uint8Array(), { headers: h });
    return String(ack.seq);
  }
  async function output(stream: string): Promise<OutputMessage[]> {
    const { state } = await jsm.streams.info(stream);
    const out: OutputMessage[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) out.push((await jsm.streams.getMessage(stream, { seq })).json<OutputMessage>());
    return out;
  }
  const stored = async (stream: string) => (await jsm.streams.info(stream).catch(() => undefined))?.state.messages ?? 0;

  it('answers every message and bad payloads as error messages with a code; SIGTERM drains and exits 0', async () => {
    await jsm.streams.add({ name: 'SCANS', subjects: ['scans.in'] });
    const sequences = [
      await publish('scans.in', { id: 'a', image: images[0]! }),
      await publish('scans.in', { id: 'b', ref: `${references.url}/image/1` }),
      await publish('scans.in', { id: 'c', image: images[2]! }),
      await publish('scans.in', { image: images[3]! }),
      await publish('scans.in', { id: 'garbage', image: new TextEncoder().encode('not an image') }),
    ];
    const consumer = startConsume([bundle, '--nats', nats.url, '--stream', 'SCANS', '--subject', 'scans.in', '--durable', 'ward', '--out-subject', 'scans.results', '--batch', '2', '--device', 'cpu', '--json']);
    await waitUntil('every message has its result', async () => (await stored('SCANS_RESULTS')) >= sequences.length, consumer);
    consumer.child.kill('SIGTERM');
    expect((await consumer.exited).code, consumer.stderr()).toBe(0);

    const results = await output('SCANS_RESULTS');
    expect(results.map((r) => r.sourceId).sort()).toEqual([...sequences].sort());
    const byId = new Map(results.map((r) => [r.id ?? `(${r.sourceId})`, r]));
    for (const id of ['a', 'b', 'c']) expect(byId.get(id)?.status).toBe('ok');
    expect(byId.get(`(${sequences[3]})`)?.error?.code).toBe('STREAM_PAYLOAD_INVALID');
    expect(byId.get('garbage')?.error?.code).toBe('INPUT_UNSUPPORTED_MEDIA');
    const info = await jsm.consumers.info('SCANS', 'ward');
    expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);
  }, 180_000);

  it('a consumer SIGKILLed with batches in flight: its messages are delivered again after the ack wait, and the output holds each exactly once', async () => {
    await jsm.streams.add({ name: 'KILL', subjects: ['kill.in'] });
    // m0..m3 inline, m4..m11 URLs the server holds (the first consumer is stuck mid-batch on them), m12..m15 inline.
    const sequences: string[] = [];
    for (let i = 0; i < 16; i++) sequences.push(await publish('kill.in', i >= 4 && i < 12 ? { id: `m${i}`, ref: `${references.url}/image/${i}` } : { id: `m${i}`, image: images[i]! }));
    references.hold();
    const args = ['--nats', nats.url, '--stream', 'KILL', '--subject', 'kill.in', '--durable', 'd', '--ack-wait', '2000', '--batch', '4', '--max-in-flight', '2', '--device', 'cpu', '--json'];
    const first = startConsume([bundle, ...args]);
    await waitUntil('the first batch is published and two more are stuck on held references', async () => references.held.length === 8 && (await stored('KILL_RESULTS')) === 4, first);
    // Back-pressure: two batches in flight, nothing more delivered.
    const stuck = await jsm.consumers.info('KILL', 'd');
    expect([stuck.num_ack_pending, stuck.delivered.stream_seq]).toEqual([8, 12]);

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    references.release();
    const second = startConsume([bundle, ...args]);
    await waitUntil('every message is acknowledged', async () => {
      const info = await jsm.consumers.info('KILL', 'd');
      return info.num_pending === 0 && info.num_ack_pending === 0 && (await stored('KILL_RESULTS')) >= 16;
    }, second);
    second.child.kill('SIGTERM');
    expect((await second.exited).code, second.stderr()).toBe(0);

    const results = await output('KILL_RESULTS');
    expect(results.map((r) => r.sourceId).sort()).toEqual([...sequences].sort());
    expect(results.map((r) => r.id).sort()).toEqual(Array.from({ length: 16 }, (_, i) => `m${i}`).sort());
    expect(results.every((r) => r.status === 'ok')).toBe(true);
  }, 180_000);

  it('refuses a missing --durable, and two buses at once, naming what to give', async () => {
    const noDurable = await runCli('consume', bundle, '--nats', nats.url, '--stream', 'S', '--subject', 's.in', '--json');
    expect(noDurable.exitCode).toBe(2);
    expect(JSON.parse(noDurable.stdout).error).toMatchObject({ code: 'USAGE_INVALID', message: '--nats needs --durable' });
    const both = await runCli('consume', bundle, '--nats', nats.url, '--redis-stream', 'redis://127.0.0.1:6379/s', '--json');
    expect(JSON.parse(both.stdout).error).toMatchObject({ code: 'USAGE_INVALID', message: expect.stringContaining('give one bus') });
  });
});
