import { natsUnavailable, startNats, type NatsServer } from '@cvf/core/testing';
import { connect, headers, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamMessage } from './consume-payload.js';
import { waitUntil } from './consume-testing.js';
import { NatsStreamSource, resultMessageId, type NatsSourceOptions } from './nats-source.js';

describe.skipIf(natsUnavailable())('NatsStreamSource', () => {
  let nats: NatsServer;
  let connection: NatsConnection;

  beforeAll(async () => {
    nats = await startNats();
    connection = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await connection?.close();
    await nats?.stop();
  });

  const options = (): NatsSourceOptions => ({
    url: nats.url,
    stream: 'DEDUP',
    subject: 'dedup.in',
    durable: 'd',
    outSubject: 'dedup.out',
    outStream: 'DEDUP_RESULTS',
    ackWaitMs: 500,
    dedupWindowMs: 60_000,
    maxAckPending: 4,
    model: { name: 'm', version: 1, configHash: 'h' },
  });
  async function nextMessage(source: NatsStreamSource): Promise<StreamMessage> {
    let got: StreamMessage[] = [];
    await waitUntil('a message is delivered', async () => (got = await source.next(1)).length > 0);
    return got[0]!;
  }

  it('a result published by a consumer that died before its ack is not stored twice when the message comes again', async () => {
    const first = await NatsStreamSource.open(options());
    const h = headers();
    h.set('id', 'scan-1');
    await connection.jetstream().publish('dedup.in', new Uint8Array([1, 2, 3]), { headers: h });
    const message = await nextMessage(first);
    expect(message.fields?.get('id')).toEqual(new TextEncoder().encode('scan-1'));
    expect([...message.fields!.get('image')!]).toEqual([1, 2, 3]);
    // What the dead consumer got done: its result is in the output, its ack never left.
    const pub = await connection.jetstream().publish('dedup.out', new TextEncoder().encode('{"first":true}'), { msgID: resultMessageId('DEDUP', message.sourceId) });
    expect(pub.duplicate).toBe(false);
    await first.close();

    const second = await NatsStreamSource.open(options());
    const again = await nextMessage(second);
    expect([again.sourceId, message.deliveries, again.deliveries]).toEqual([message.sourceId, 1, 2]);
    await second.complete([{ sourceId: again.sourceId, id: 'scan-1', error: { code: 'X', message: 'y' } }]);
    await second.close();

    const jsm = await connection.jetstreamManager();
    expect((await jsm.streams.info('DEDUP_RESULTS')).state.messages).toBe(1);
    expect((await jsm.streams.getMessage('DEDUP_RESULTS', { seq: 1 })).json()).toEqual({ first: true });
    const consumer = await jsm.consumers.info('DEDUP', 'd');
    expect([consumer.num_pending, consumer.num_ack_pending]).toEqual([0, 0]);
  }, 60_000);

  it('a live consumer keeps messages it holds longer than the ack wait (it beats); once it stops they are delivered again', async () => {
    const beats = { ...options(), stream: 'BEATS', subject: 'beats.in', outSubject: 'beats.out', outStream: 'BEATS_RESULTS', ackWaitMs: 600 };
    const slow = await NatsStreamSource.open(beats);
    const other = await NatsStreamSource.open(beats);
    await connection.jetstream().publish('beats.in', new Uint8Array([1]));
    const held = await nextMessage(slow);
    // Three ack waits while the batch is "predicted": nothing is delivered to the other consumer.
    for (let i = 0; i < 3; i++) expect(await other.next(1)).toEqual([]);
    await slow.close(); // it stops beating
    const again = await nextMessage(other);
    expect([again.sourceId, again.deliveries]).toEqual([held.sourceId, 2]);
    await other.close();
  }, 30_000);
});
