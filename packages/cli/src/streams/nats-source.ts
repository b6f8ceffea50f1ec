import { StreamError } from '@cvf/core';
import { AckPolicy, connect, DeliverPolicy, headers, nanos, type Consumer, type ConsumerInfo, type JetStreamClient, type JetStreamManager, type JsMsg, type NatsConnection } from 'nats';
import type { MessageSource } from './consume-loop.js';
import { PAYLOAD_FIELDS, type StreamMessage } from './consume-payload.js';
import type { ConsumeResult } from './consume-predict.js';
import { resultObject, type AnsweringModel } from './consume-result.js';

export interface NatsSourceOptions {
  /** nats://HOST:PORT (credentials as nats://USER:PASSWORD@HOST:PORT). */
  readonly url: string;
  /** The JetStream stream the inputs are in (created over `subject` when there is none of that name). */
  readonly stream: string;
  readonly subject: string;
  /** The durable pull consumer's name: consumers sharing it share the work, and it outlives them. */
  readonly durable: string;
  readonly outSubject: string;
  /** The stream created over `outSubject` when no stream captures it yet. */
  readonly outStream: string;
  /** A message delivered and neither acknowledged nor beaten for within this (ms) is delivered again (its consumer is taken for dead). */
  readonly ackWaitMs: number;
  /** How long (ms) the output stream remembers a result's Nats-Msg-Id, refusing a second copy (when cvf consume creates the stream). */
  readonly dedupWindowMs: number;
  /** The most messages delivered and not yet acknowledged, over all consumers of the durable (server-side back-pressure). */
  readonly maxAckPending: number;
  readonly model: AnsweringModel;
}

/** How long one fetch waits for messages, so a stop is noticed within it. */
const FETCH_EXPIRES_MS = 1000;

/** The Nats-Msg-Id of the result of input stream `stream`'s message `sequence`: the same on every redelivery. */
export function resultMessageId(stream: string, sequence: string): string {
  return `cvf:${stream}:${sequence}`;
}

/**
 * A durable JetStream pull consumer as `cvf consume` reads it. A message's place is its stream
 * sequence; its fields are its headers (`id`, `content-type`, `ref`) with its body as `image`.
 * A result is published to `outSubject` with a Nats-Msg-Id made of that place, and only once the
 * output stream has stored it is the message acknowledged. A consumer that dies before its ack
 * has its messages delivered again after the ack wait; their results, published again, are
 * dropped by the output stream's duplicate window, so the output holds each once.
 */
export class NatsStreamSource implements MessageSource {
  readonly #options: NatsSourceOptions;
  readonly #connection: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #consumer: Consumer;
  /** Messages read and not yet acknowledged, by stream sequence. */
  readonly #unacknowledged = new Map<string, JsMsg>();
  readonly #heartbeat: NodeJS.Timeout;

  private constructor(options: NatsSourceOptions, connection: NatsConnection, js: JetStreamClient, consumer: Consumer, ackWaitMs: number) {
    this.#options = options;
    this.#connection = connection;
    this.#js = js;
    this.#consumer = consumer;
    // "Work in progress" on what it holds, three times per ack wait: only a consumer that stopped has its messages delivered again.
    this.#heartbeat = setInterval(() => this.#unacknowledged.forEach((message) => message.working()), Math.max(ackWaitMs / 3, 10)).unref();
  }

  static async open(options: NatsSourceOptions): Promise<NatsStreamSource> {
    let connection: NatsConnection;
    try {
      connection = await connect({ servers: options.url, name: `cvf consume ${options.durable}` });
    } catch (error) {
      throw new StreamError('STREAM_SERVER_FAILED', `cannot connect to NATS at ${options.url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    try {
      const jsm = await connection.jetstreamManager();
      await ensureStream(jsm, options.stream, options.subject, undefined);
      if ((await streamCapturing(jsm, options.outSubject)) === undefined) await ensureStream(jsm, options.outStream, options.outSubject, options.dedupWindowMs);
      // The durable's own ack wait (an existing one keeps the wait it was created with).
      const ackWaitMs = ((await ensureDurable(jsm, options)).config.ack_wait ?? nanos(options.ackWaitMs)) / 1e6;
      const js = connection.jetstream();
      return new NatsStreamSource(options, connection, js, await js.consumers.get(options.stream, options.durable), ackWaitMs);
    } catch (error) {
      await connection.close();
      if (error instanceof StreamError) throw error;
      throw new StreamError('STREAM_SERVER_FAILED', `NATS JetStream at ${options.url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  async next(count: number): Promise<StreamMessage[]> {
    const messages: StreamMessage[] = [];
    try {
      for await (const message of await this.#consumer.fetch({ max_messages: count, expires: FETCH_EXPIRES_MS })) {
        const sourceId = String(message.info.streamSequence);
        this.#unacknowledged.set(sourceId, message);
        messages.push({ sourceId, fields: fieldsOf(message), deliveries: message.info.deliveryCount });
      }
    } catch (error) {
      throw this.#failed('reading', error);
    }
    return messages;
  }

  /** A failure of the server or the connection, as the StreamError that stops the consumer (its messages come again after the ack wait). */
  #failed(doing: string, error: unknown): StreamError {
    if (error instanceof StreamError) return error;
    return new StreamError('STREAM_SERVER_FAILED', `NATS at ${this.#options.url}: ${doing} ${this.#options.stream} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }

  async complete(results: readonly ConsumeResult[]): Promise<void> {
    const { outSubject, stream, model } = this.#options;
    const all = Promise.all(
      results.map(async (result) => {
        const message = this.#unacknowledged.get(result.sourceId);
        if (!message) throw new StreamError('STREAM_SERVER_FAILED', `no message ${result.sourceId} of stream ${stream} is waiting for its result`);
        const h = headers();
        h.set('source-id', result.sourceId);
        if (result.id !== undefined) h.set(PAYLOAD_FIELDS.id, result.id);
        h.set('status', 'error' in result ? 'error' : 'ok');
        // The ack waits for the output stream's own acknowledgement (a duplicate one included).
        await this.#js.publish(outSubject, new TextEncoder().encode(JSON.stringify(resultObject(result, model))), { msgID: resultMessageId(stream, result.sourceId), headers: h });
        await message.ackAck();
        this.#unacknowledged.delete(result.sourceId);
      }),
    );
    await all.catch((error: unknown) => Promise.reject(this.#failed(`writing results of`, error)));
  }

  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    await this.#connection.drain();
  }
}

function fieldsOf(message: JsMsg): Map<string, Uint8Array> {
  const fields = new Map<string, Uint8Array>();
  for (const key of message.headers?.keys() ?? []) fields.set(key.toLowerCase(), new TextEncoder().encode(message.headers!.get(key)));
  if (message.data.length > 0) fields.set(PAYLOAD_FIELDS.image, message.data);
  return fields;
}

/** A stream, consumer or subject the server has none of (its messages say so in words, and differ between calls). */
const isNotFound = (error: unknown) => error instanceof Error && /not found|no stream matches/i.test(error.message);

/** The name of the stream that stores `subject`, if one does. */
async function streamCapturing(jsm: JetStreamManager, subject: string): Promise<string | undefined> {
  try {
    return await jsm.streams.find(subject);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The stream `name`, created over `subject` (file storage) when there is none; an existing one is used as it is. */
async function ensureStream(jsm: JetStreamManager, name: string, subject: string, dedupWindowMs: number | undefined): Promise<void> {
  try {
    await jsm.streams.info(name);
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  await jsm.streams.add({ name, subjects: [subject], ...(dedupWindowMs !== undefined && { duplicate_window: nanos(dedupWindowMs) }) });
}

/** The durable pull consumer, created with explicit acks when it does not exist; an existing one is used as it is. */
async function ensureDurable(jsm: JetStreamManager, options: NatsSourceOptions): Promise<ConsumerInfo> {
  try {
    return await jsm.consumers.info(options.stream, options.durable);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return jsm.consumers.add(options.stream, {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(options.ackWaitMs),
    deliver_policy: DeliverPolicy.All,
    filter_subject: options.subject,
    max_ack_pending: options.maxAckPending,
  });
}
