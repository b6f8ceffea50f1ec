import { CvfError } from '@cvf/core';
import type { Redis } from 'ioredis';
import type { ShardTask } from './shard-runner.js';

/** The BullMQ queue every batch job's shards go through; workers take any job's shards. */
export const BATCH_QUEUE = 'cvf-batch';

/** A job's data: one shard of a batch job (BullMQ stores it as JSON in Redis). */
export type ShardJobData = ShardTask;

/** What a worker returns for a shard (the job's return value). */
export interface ShardJobResult {
  readonly images: number;
  readonly errors: number;
  /** The shard was found finished (its done record existed) and not computed again. */
  readonly skipped: boolean;
}

/** Retries of a failing shard, and the first backoff (then doubled each time: BullMQ's exponential backoff). */
export interface RetryPolicy {
  readonly attempts: number;
  readonly backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoffMs: 1000 };

/** A `--queue` value: a redis:// or rediss:// URL. */
export function checkQueueUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CvfError('USAGE_INVALID', `--queue ${JSON.stringify(url)} is not a URL; expected redis://HOST:PORT (or rediss:// for TLS)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new CvfError('USAGE_INVALID', `--queue ${url}: expected redis://HOST:PORT or rediss://HOST:PORT, not ${parsed.protocol}`);
  return url;
}

/**
 * A Redis connection for BullMQ, once Redis has answered: a queue URL nothing answers at is
 * BATCH_QUEUE_UNREACHABLE at once instead of a process that waits forever. After that, commands
 * wait for a reconnect rather than fail after a few retries (BullMQ requires maxRetriesPerRequest:
 * null for workers), so a Redis restart does not end a job.
 */
export async function redisConnection(url: string): Promise<Redis> {
  // Loaded here, not at import: every `cvf` command reads this module's constants, few use Redis.
  const { Redis } = await import('ioredis');
  const connection = new Redis(checkQueueUrl(url), { maxRetriesPerRequest: null, lazyConnect: true });
  let lastError: unknown;
  connection.on('error', (error) => (lastError = error));
  try {
    await connection.connect();
    await connection.ping();
  } catch (error) {
    connection.disconnect();
    const why = (lastError ?? error) instanceof Error ? ((lastError ?? error) as Error).message : String(lastError ?? error);
    throw new CvfError('BATCH_QUEUE_UNREACHABLE', `no Redis answers at ${url}: ${why}; start one (redis-server) or give the --queue URL of yours`);
  }
  return connection;
}

/** An error as BullMQ keeps it (a job's failedReason): the CvfError code in front of the message. */
export function failureReason(error: unknown): Error {
  if (error instanceof CvfError) return new Error(`[${error.code}] ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}
