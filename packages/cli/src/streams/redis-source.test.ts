import { redisUnavailable, startRedis, type RedisServer } from '@cvf/core/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamMessage } from './consume-payload.js';
import { waitUntil } from './consume-testing.js';
import { RedisStreamSource, resultMarkerKey, type RedisSourceOptions } from './redis-source.js';
import { parseRedisStreamUrl } from './redis-stream-url.js';

describe.skipIf(redisUnavailable())('RedisStreamSource', () => {
  let redis: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.port, '127.0.0.1');
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  const options = (stream: string, consumer: string): RedisSourceOptions => ({
    address: parseRedisStreamUrl(`redis://127.0.0.1:${redis.port}/${stream}`),
    group: 'g',
    consumer,
    outStream: `${stream}:results`,
    claimIdleMs: 1,
    dedupTtlS: 60,
    model: { name: 'm', version: 1, configHash: 'h' },
  });

  it("claims a dead consumer's entries, writes a result once however often it completes, and answers an entry trimmed while pending", async () => {
    const source = await RedisStreamSource.open(options('claims', 'live'));
    const kept = (await client.xadd('claims', '*', 'id', 'a', 'image', 'x'))!;
    const trimmed = (await client.xadd('claims', '*', 'id', 'b', 'image', 'y'))!;
    // A consumer that read both and died.
    await client.xreadgroup('GROUP', 'g', 'dead', 'COUNT', 2, 'STREAMS', 'claims', '>');
    await client.xdel('claims', trimmed);
    await new Promise((resolve) => setTimeout(resolve, 5)); // idle longer than claimIdleMs (1 ms)

    const claimed = await source.next(10);
    expect(claimed.map((m) => m.sourceId).sort()).toEqual([kept, trimmed].sort());
    expect(claimed.find((m) => m.sourceId === kept)!.fields!.get('id')).toEqual(new TextEncoder().encode('a'));
    expect(claimed.find((m) => m.sourceId === trimmed)!.fields).toBeNull();

    const result = { sourceId: kept, id: 'a', error: { code: 'X', message: 'y' } };
    await source.complete([result]);
    // The same entry completed again (a second consumer that held it before the claim): not written twice.
    await source.complete([result]);
    const written = await client.xrange('claims:results', '-', '+');
    expect(written).toHaveLength(1);
    expect(written[0]![1].slice(0, 6)).toEqual(['source-id', kept, 'id', 'a', 'status', 'error']);
    expect(await client.get(resultMarkerKey('claims:results', 'claims', kept))).toBe(written[0]![0]);
    // Redis drops a trimmed entry from the pending list as it reports it: nothing is left to acknowledge,
    // and its error result is still written, so the output answers every entry.
    expect(((await client.xpending('claims', 'g')) as [number])[0]).toBe(0);
    await source.complete([{ sourceId: trimmed, error: { code: 'STREAM_ENTRY_DELETED', message: 'gone' } }]);
    expect((await client.xrange('claims:results', '-', '+')).map(([, fields]) => fields[1])).toEqual([kept, trimmed]);
    await source.close();
  });

  it('a restart under the same name finishes its own pending entries first; entries in flight are not claimed back; claims carry delivery counts', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await client.xadd('restart', '*', 'id', `r${i}`, 'image', 'x'))!);
    const before = await RedisStreamSource.open({ ...options('restart', 'same'), claimIdleMs: 60_000 });
    expect((await before.next(3)).map((m) => m.sourceId)).toEqual(ids);
    await before.close(); // died without completing them

    // Claimed or read back from its own history (whichever comes first), each once, and what it holds is not handed out again.
    const after = await RedisStreamSource.open(options('restart', 'same'));
    const fresh = (await client.xadd('restart', '*', 'id', 'r3', 'image', 'x'))!;
    const seen: string[] = [];
    await waitUntil('the pending and the new entry are read', async () => {
      seen.push(...(await after.next(2)).map((m) => m.sourceId));
      return seen.length >= 4;
    });
    await new Promise((resolve) => setTimeout(resolve, 150)); // past the next claim pass
    seen.push(...(await after.next(2)).map((m) => m.sourceId));
    expect(seen).toEqual([...ids, fresh]);

    // An entry another consumer was handed 8 times: the claim says so.
    const crashing = (await client.xadd('restart', '*', 'id', 'poison', 'image', 'x'))!;
    await client.xreadgroup('GROUP', 'g', 'ghost', 'COUNT', 1, 'STREAMS', 'restart', '>');
    await client.xclaim('restart', 'g', 'ghost', 0, crashing, 'RETRYCOUNT', 8);
    let claimed: StreamMessage[] = [];
    await waitUntil('the entry is claimed on the next pass', async () => (claimed = await after.next(1)).length > 0);
    expect(claimed).toEqual([expect.objectContaining({ sourceId: crashing, deliveries: 9 })]);
    await after.close();
  });

  it('a live consumer keeps the entries of a batch slower than --claim-idle (it beats); once it stops, another claims them', async () => {
    const slow = await RedisStreamSource.open({ ...options('beats', 'slow'), claimIdleMs: 600 });
    const other = await RedisStreamSource.open({ ...options('beats', 'other'), claimIdleMs: 600 });
    const entry = (await client.xadd('beats', '*', 'id', 'slow-1', 'image', 'x'))!;
    expect((await slow.next(1)).map((m) => m.sourceId)).toEqual([entry]);
    // Three claim-idle periods while the batch is "predicted": the other consumer finds nothing to claim.
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await other.next(1)).toEqual([]);
    }
    await slow.close(); // it stops beating
    let claimed: StreamMessage[] = [];
    await waitUntil('the stopped consumer\'s entry is claimed', async () => (claimed = await other.next(1)).length > 0);
    expect(claimed.map((m) => m.sourceId)).toEqual([entry]);
    await other.close();
  }, 30_000);
});
