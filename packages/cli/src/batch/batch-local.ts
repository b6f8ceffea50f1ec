import type { BatchProgress, FailedShard } from './batch-producer.js';
import { failureReason } from './batch-queue.js';
import type { ShardRunner } from './shard-runner.js';
import type { BatchPlan, Shard } from './shard-plan.js';

/**
 * Computes `shards` of `plan` in this process, one after another (no Redis: one pod of an Indexed
 * Job, or a whole job on one machine). A shard that fails is reported with its error and the
 * others still run; finished shards are skipped.
 */
export async function runInProcess(plan: BatchPlan, out: string, shards: readonly Shard[], runner: ShardRunner, onProgress: (progress: BatchProgress) => void): Promise<{ progress: BatchProgress; failures: FailedShard[] }> {
  const started = Date.now();
  const { shards: _, ...task } = plan;
  let done = 0;
  let skipped = 0;
  let images = 0;
  let imageErrors = 0;
  const failures: FailedShard[] = [];
  const progress = (): BatchProgress => ({ shards: shards.length, done, failed: failures.length, skipped, images, imageErrors, seconds: (Date.now() - started) / 1000 });
  onProgress(progress());
  for (const shard of shards) {
    try {
      const outcome = await runner.run({ plan: task, shard, out });
      done++;
      if (outcome.skipped) skipped++;
      else {
        images += outcome.done.images;
        imageErrors += outcome.done.errors;
      }
    } catch (error) {
      failures.push({ shard, error: failureReason(error).message });
    }
    onProgress(progress());
  }
  return { progress: progress(), failures };
}
