import { StreamError } from '@cvf/core';
import { Redis, type Result } from 'ioredis';
import type { MessageSource } from './consume-loop.js';
import type { StreamMessage } from './consume-payload.js';
import type { ConsumeResult } from './consume-predict.js';
import { resultFields, type AnsweringModel } from './consume-result.js';
import type { RedisStreamAddress } from './redis-stream-url.js';

export interface RedisSourceOptions {
  readonly address: RedisStreamAddress;
  readonly group: string;
  readonly consumer: string;
  /** The stream results are appended to. */
  readonly outStream: string;
  /** An entry pending this long (ms) with another consumer that stopped beating is taken over: that consumer is taken for dead. */
  readonly claimIdleMs: number;
  /** How long (s) a written result's marker keeps its message from being written again. */
  readonly dedupTtlS: number;
  readonly model: AnsweringModel;
}

/** How long one read waits for new entries, so a stop is noticed within it. */
const BLOCK_MS = 1000;

/**
 * Writes one result and acknowledges its entry, atomically (a Lua script runs alone on the
 * server): if the entry's marker key is absent, the result is appended to the output stream and
 * the marker set to the output entry's id (with a TTL); if it is present, a result for this entry
 * was written before (by this consumer before a crash, or by another that held the entry before it
 * was claimed) and nothing is appended. Either way the entry is then acknowledged — after the
 * result is in the output, never before, and never with a second copy of it.
 * KEYS: input stream, output stream, marker. ARGV: group, entry id, TTL (s), then field, value, ...
 * Returns 1 when written, 0 when it already was.
 */
const COMPLETE_SCRIPT = `
local written = 0
if redis.call('EXISTS', KEYS[3]) == 0 then
  local fields = {}
  for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
  local outId = redis.call('XADD', KEYS[2], '*', unpack(fields))
  redis.call('SET', KEYS[3], outId, 'EX', tonumber(ARGV[3]))
  written = 1
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return written
`;

/**
 * The heartbeat of a live consumer: resets the idle time of the entries it holds (XCLAIM to itself
 * with JUSTID, which leaves the delivery count alone), so that only a consumer that stopped — not
 * one with a slow batch — has its entries claimed. An entry another consumer took meanwhile stays
 * with that one. KEYS: input stream. ARGV: group, consumer, then entry ids.
 */
const KEEP_SCRIPT = `
for i = 3, #ARGV do
  local row = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)[1]
  if row and row[2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
  end
end
return 0
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    cvfCompleteResult(input: string, output: string, marker: string, group: string, entryId: string, ttl: number, ...fields: string[]): Result<number, Context>;
    cvfKeepHeld(input: string, group: string, consumer: string, ...entryIds: string[]): Result<number, Context>;
  }
}

/** The marker key of an input entry's result: one per output stream, input stream and entry id. */
export function resultMarkerKey(outStream: string, inStream: string, entryId: string): string {
  return `cvf:consume:done:${outStream}:${inStream}:${entryId}`;
}

type RawEntry = [Buffer, Buffer[] | null];

/**
 * A Redis Streams consumer group as `cvf consume` reads it (XGROUP CREATE … MKSTREAM; XREADGROUP;
 * XAUTOCLAIM of entries idle longer than `claimIdleMs` with other consumers) and writes to it
 * (COMPLETE_SCRIPT: result, marker and XACK in one step). While it holds entries it beats
 * (KEEP_SCRIPT, three times per `claimIdleMs`). Two connections: one blocks in XREADGROUP while
 * the other writes results and beats.
 */
export class RedisStreamSource implements MessageSource {
  readonly #options: RedisSourceOptions;
  readonly #reader: Redis;
  readonly #writer: Redis;
  /** First this consumer's own pending entries (a restart under the same name) after this id, then new ones ('>'). */
  #readFrom = '0';
  #claimCursor = '0-0';
  #nextClaimAt = 0;
  /** Entries this consumer read and has not completed: never claimed back from itself while in flight. */
  readonly #held = new Set<string>();
  readonly #heartbeat: NodeJS.Timeout;

  private constructor(options: RedisSourceOptions, reader: Redis, writer: Redis) {
    this.#options = options;
    this.#reader = reader;
    this.#writer = writer;
    this.#heartbeat = setInterval(() => this.#keepHeld(), Math.max(options.claimIdleMs / 3, 10)).unref();
  }

  #keepHeld(): void {
    if (this.#held.size === 0) return;
    const { address, group, consumer } = this.#options;
    // A failed beat is not this call's to report: a server gone fails the next read or write.
    this.#writer.cvfKeepHeld(address.stream, group, consumer, ...this.#held).catch(() => undefined);
  }

  static async open(options: RedisSourceOptions): Promise<RedisStreamSource> {
    const { address } = options;
    const connect = () =>
      new Redis({
        host: address.host,
        port: address.port,
        db: address.db,
        ...(address.username !== undefined && { username: address.username }),
        ...(address.password !== undefined && { password: address.password }),
        ...(address.tls && { tls: {} }),
        lazyConnect: true,
        // A server that goes away fails the call (and the consumer, unacknowledged) instead of queueing forever.
        maxRetriesPerRequest: 2,
      });
    const [reader, writer] = [connect(), connect()];
    // A lost connection reaches the consumer as the failure of its next call; unheard, ioredis would print each retry.
    for (const connection of [reader, writer]) connection.on('error', () => undefined);
    try {
      await Promise.all([reader.connect(), writer.connect()]);
      writer.defineCommand('cvfCompleteResult', { numberOfKeys: 3, lua: COMPLETE_SCRIPT });
      writer.defineCommand('cvfKeepHeld', { numberOfKeys: 1, lua: KEEP_SCRIPT });
      await createGroup(writer, address.stream, options.group);
    } catch (error) {
      reader.disconnect();
      writer.disconnect();
      throw serverFailed(address, 'opening', error);
    }
    return new RedisStreamSource(options, reader, writer);
  }

  async next(count: number): Promise<StreamMessage[]> {
    let messages: StreamMessage[];
    try {
      messages = await this.#read(count);
    } catch (error) {
      throw serverFailed(this.#options.address, 'reading', error);
    }
    messages.forEach((m) => this.#held.add(m.sourceId));
    return messages;
  }

  async #read(count: number): Promise<StreamMessage[]> {
    const claimed = await this.#claim(count);
    if (claimed.length > 0) return claimed;
    const { stream } = this.#options.address;
    const block = this.#readFrom === '>' ? ['BLOCK', BLOCK_MS] : [];
    const reply = (await this.#reader.callBuffer('XREADGROUP', 'GROUP', this.#options.group, this.#options.consumer, 'COUNT', count, ...block, 'STREAMS', stream, this.#readFrom)) as [Buffer, RawEntry[]][] | null;
    const entries = reply?.[0]?.[1] ?? [];
    if (this.#readFrom !== '>') {
      // Its own history read to the end: new entries from now on, starting with this call.
      if (entries.length === 0) {
        this.#readFrom = '>';
        return this.#read(count);
      }
      this.#readFrom = entries.at(-1)![0].toString();
      // Some may have been claimed from its former self already, and be in flight.
      return entries.filter(([id]) => !this.#held.has(id.toString())).map(toMessage);
    }
    return entries.map(toMessage);
  }

  /** Entries idle longer than claimIdleMs with any consumer (a dead one), scanned a page at a time. */
  async #claim(count: number): Promise<StreamMessage[]> {
    if (Date.now() < this.#nextClaimAt) return [];
    const { address, group, consumer, claimIdleMs } = this.#options;
    const [cursor, entries, deleted] = (await this.#reader.callBuffer('XAUTOCLAIM', address.stream, group, consumer, claimIdleMs, this.#claimCursor, 'COUNT', count)) as [Buffer, RawEntry[], Buffer[] | undefined];
    this.#claimCursor = cursor.toString();
    // A full pass over the pending list: look again once an entry could have become idle enough.
    if (this.#claimCursor === '0-0') this.#nextClaimAt = Date.now() + Math.min(Math.max(claimIdleMs / 2, 100), 30_000);
    const taken = entries.filter(([id]) => !this.#held.has(id.toString())).map(toMessage);
    // Entries trimmed from the stream while pending (Redis 7 lists them apart): answered as such, not lost.
    return [...(await this.#withDeliveries(taken)), ...(deleted ?? []).map((id) => ({ sourceId: id.toString(), fields: null }))];
  }

  /** Claimed entries with their delivery counts (XPENDING), so one that keeps killing its consumers is stopped. */
  async #withDeliveries(messages: StreamMessage[]): Promise<StreamMessage[]> {
    if (messages.length === 0) return messages;
    const { address, group } = this.#options;
    const pipeline = this.#reader.pipeline();
    for (const m of messages) pipeline.xpending(address.stream, group, m.sourceId, m.sourceId, 1);
    const replies = (await pipeline.exec()) ?? [];
    return messages.map((m, i) => {
      const [error, rows] = replies[i] ?? [null, []];
      const deliveries = error === null ? Number((rows as [string, string, number, number][])[0]?.[3]) : NaN;
      return Number.isFinite(deliveries) ? { ...m, deliveries } : m;
    });
  }

  async complete(results: readonly ConsumeResult[]): Promise<void> {
    const { address, group, outStream, dedupTtlS, model } = this.#options;
    const pipeline = this.#writer.pipeline();
    for (const result of results) {
      pipeline.cvfCompleteResult(address.stream, outStream, resultMarkerKey(outStream, address.stream, result.sourceId), group, result.sourceId, dedupTtlS, ...resultFields(result, model).flat());
    }
    const replies = (await pipeline.exec().catch((error: unknown) => Promise.reject(serverFailed(address, 'writing results of', error)))) ?? [];
    const failed = replies.find(([error]) => error !== null);
    if (failed) throw serverFailed(address, 'writing results of', failed[0]);
    results.forEach((r) => this.#held.delete(r.sourceId));
  }

  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    await Promise.allSettled([this.#reader.quit(), this.#writer.quit()]);
  }
}

/** A failure of the server or the connection, as the StreamError that stops the consumer (its entries stay pending). */
function serverFailed(address: RedisStreamAddress, doing: string, error: unknown): StreamError {
  if (error instanceof StreamError) return error;
  return new StreamError('STREAM_SERVER_FAILED', `Redis at ${address.host}:${address.port}: ${doing} stream ${address.stream} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** The consumer group, from the stream's first entry, creating the stream if need be; an existing group is used as it is. */
async function createGroup(redis: Redis, stream: string, group: string): Promise<void> {
  try {
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('BUSYGROUP')) return;
    throw error;
  }
}

function toMessage([id, fields]: RawEntry): StreamMessage {
  if (fields === null) return { sourceId: id.toString(), fields: null };
  const map = new Map<string, Uint8Array>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!.toString(), new Uint8Array(fields[i + 1]!.buffer, fields[i + 1]!.byteOffset, fields[i + 1]!.length));
  return { sourceId: id.toString(), fields: map };
}
