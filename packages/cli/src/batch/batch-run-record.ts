import type { TrackingStore } from '@cvf/core/node';
import { openStore } from '../store-location.js';
import type { BatchProgress, FailedShard } from './batch-producer.js';
import type { BatchPlan } from './shard-plan.js';

/** The experiment batch jobs are recorded under. */
export const BATCH_EXPERIMENT = 'batch';

/** One pod of a Kubernetes Indexed Job: shard `index` of the job's `count` (--shard-index I --shards N). */
export interface PodShard {
  readonly index: number;
  readonly count: number;
}

/**
 * A batch job recorded as a run of the tracking store: its plan as params, its counts and speed
 * as metrics (images, image_errors, shards, shards_failed, images_per_second), finished or failed
 * with the failed shards named. Each pod of an Indexed Job records a run of its own, tagged with
 * its shard (shardIndex, shardCount, shard), so the job's pods are found together in the store.
 */
export class BatchRunRecord {
  readonly runId: string;
  readonly #store: TrackingStore;
  /** Progress writes, one after another; the first failure is reported by finish. */
  #writes: Promise<void> = Promise.resolve();
  #writeError: unknown;
  #lastSettled = -1;

  private constructor(store: TrackingStore, runId: string) {
    this.#store = store;
    this.runId = runId;
  }

  static async start(storeFlag: string | undefined, plan: BatchPlan, out: string, pod?: PodShard): Promise<BatchRunRecord> {
    const store = await openStore({ flag: storeFlag, use: 'create' });
    try {
      const model = plan.model.name !== undefined ? `${plan.model.name}@${plan.model.version}` : plan.model.bundle;
      const run = await store.startRun({ experiment: BATCH_EXPERIMENT, name: `batch ${plan.kind} ${model}${pod ? ` shard ${pod.index} of ${pod.count}` : ''}` });
      await store.logParams(run.id, {
        kind: plan.kind,
        model: plan.model.bundle,
        ...(plan.model.name !== undefined && { modelName: plan.model.name, modelVersion: plan.model.version }),
        dataset: plan.dataset.spec,
        datasetDigest: plan.dataset.digest,
        datasetSize: plan.dataset.size,
        shards: plan.shards.length,
        out,
      });
      if (pod) await store.setTags(run.id, { shardIndex: String(pod.index), shardCount: String(pod.count), shard: plan.shards[pod.index]!.id });
      return new BatchRunRecord(store, run.id);
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /** Logs the counts each time a shard settles (step: shards settled), so a run can be followed live. */
  progress(progress: BatchProgress): void {
    const settled = progress.done + progress.failed;
    if (settled === this.#lastSettled) return;
    this.#lastSettled = settled;
    this.#writes = this.#writes.then(() => this.#store.logMetrics(this.runId, metricsOf(progress), settled)).catch((error: unknown) => void (this.#writeError ??= error));
  }

  async finish(progress: BatchProgress, failures: readonly FailedShard[], reason?: string): Promise<void> {
    try {
      await this.#writes;
      if (this.#writeError) throw this.#writeError;
      await this.#store.logMetrics(this.runId, metricsOf(progress), progress.done + progress.failed);
      const failure = reason ?? (failures.length > 0 ? `${failures.length} shard(s) failed: ${failures.map((f) => `${f.shard.id}: ${f.error}`).join('; ')}` : undefined);
      await this.#store.endRun(this.runId, failure === undefined ? 'finished' : 'failed', failure);
    } finally {
      await this.#store.close();
    }
  }
}

function metricsOf(progress: BatchProgress): Record<string, number> {
  return {
    images: progress.images,
    image_errors: progress.imageErrors,
    shards: progress.done,
    shards_failed: progress.failed,
    shards_skipped: progress.skipped,
    images_per_second: progress.seconds > 0 ? progress.images / progress.seconds : 0,
  };
}
