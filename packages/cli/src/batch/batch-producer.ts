import { Job, Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BATCH_QUEUE, redisConnection, type RetryPolicy, type ShardJobData, type ShardJobResult } from './batch-queue.js';
import { readShardDone } from './shard-files.js';
import type { BatchPlan, Shard } from './shard-plan.js';

/** Where a batch job stands, as the producer reports it. */
export interface BatchProgress {
  readonly shards: number;
  readonly done: number;
  readonly failed: number;
  /** Shards found finished by an earlier run, not enqueued again. */
  readonly skipped: number;
  /** Images of the shards finished by this run. */
  readonly images: number;
  /** Of those, images that could not be read (an error line instead of an output). */
  readonly imageErrors: number;
  readonly seconds: number;
}

/** A shard that kept failing after its retries, with its last error. */
export interface FailedShard {
  readonly shard: Shard;
  readonly error: string;
}

export interface QueueRunOptions {
  readonly retry: RetryPolicy;
  readonly onProgress: (progress: BatchProgress) => void;
}

/** How often the producer looks at its jobs. */
const POLL_MS = 250;

/**
 * Enqueues the unfinished shards of `plan` on the batch queue and waits until each one is
 * completed by a worker or has failed all its attempts. Shards with a done record in `out` are
 * not enqueued. Job ids carry a tag of this run, so a re-run never meets a stale job of an earlier
 * one (its finished shards are skipped through their done records instead).
 */
export async function runOnQueue(plan: BatchPlan, out: string, queueUrl: string, options: QueueRunOptions): Promise<{ progress: BatchProgress; failures: FailedShard[] }> {
  const started = Date.now();
  const pending: Shard[] = [];
  for (const shard of plan.shards) if (!(await readShardDone(out, shard.id))) pending.push(shard);
  const skipped = plan.shards.length - pending.length;
  const connection = await redisConnection(queueUrl);
  const queue = new Queue<ShardJobData, ShardJobResult>(BATCH_QUEUE, { connection });
  const { shards: _, ...task } = plan;
  const tag = randomBytes(6).toString('hex');
  let done = 0;
  let images = 0;
  let imageErrors = 0;
  const failures: FailedShard[] = [];
  const progress = (): BatchProgress => ({ shards: plan.shards.length, done: done + skipped, failed: failures.length, skipped, images, imageErrors, seconds: (Date.now() - started) / 1000 });
  try {
    const jobs = await queue.addBulk(
      pending.map((shard) => ({
        name: plan.kind,
        data: { plan: task, shard, out },
        opts: {
          jobId: `${tag}-${shard.id}`,
          attempts: options.retry.attempts,
          backoff: { type: 'exponential', delay: options.retry.backoffMs },
          // Kept a day, so that a producer that looks late still finds its results.
          removeOnComplete: { age: 86_400 },
          removeOnFail: { age: 7 * 86_400 },
        },
      })),
    );
    options.onProgress(progress());
    const waiting = new Map(jobs.map((job, i) => [job.id!, pending[i]!]));
    while (waiting.size > 0) {
      await sleep(POLL_MS);
      // States only (one small Redis call per job, all at once); a job is fetched for its reason when it failed.
      const states = await Promise.all([...waiting.keys()].map(async (id) => [id, await queue.getJobState(id)] as const));
      for (const [id, state] of states) {
        const shard = waiting.get(id)!;
        if (state === 'completed') {
          done++;
          images += shard.end - shard.start;
          // The worker wrote the done record before completing the job.
          imageErrors += (await readShardDone(out, shard.id))?.errors ?? 0;
          waiting.delete(id);
        } else if (state === 'failed') {
          const job = await Job.fromId<ShardJobData, ShardJobResult>(queue, id);
          failures.push({ shard, error: job?.failedReason ?? 'failed without a reason' });
          waiting.delete(id);
        } else if (state === 'unknown') {
          failures.push({ shard, error: `job ${id} is gone from the queue (removed by someone else?)` });
          waiting.delete(id);
        }
      }
      options.onProgress(progress());
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
  failures.sort((a, b) => a.shard.start - b.shard.start);
  return { progress: progress(), failures };
}
