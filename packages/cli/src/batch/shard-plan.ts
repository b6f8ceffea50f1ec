import { CvfError } from '@cvf/core';
import type { DatasetSpec } from './batch-dataset.js';

/** What a batch job computes per image: `cvf predict`'s prediction, or the model's embedding (its features after PCA). */
export const BATCH_KINDS = ['predict', 'embed'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

/** A contiguous range of a dataset's items, [start, end), named by the dataset digest and the range. */
export interface Shard {
  readonly id: string;
  readonly start: number;
  readonly end: number;
}

/**
 * A batch job as written to `DIR/batch.json`: what every shard of it computes, on what, and the
 * shards in dataset order. The same command on the same model and dataset writes the same plan,
 * so producers, Indexed Job pods and `cvf batch merge` agree on it without talking.
 */
export interface BatchPlan {
  readonly version: 1;
  readonly kind: BatchKind;
  /** The bundle path every worker loads (a NAME@ALIAS is resolved once, by the producer), and its registry version. */
  readonly model: { readonly bundle: string; readonly name?: string; readonly version?: number; readonly digest?: string };
  readonly dataset: { readonly spec: DatasetSpec; readonly digest: string; readonly size: number };
  /** Similar cases per image (predict), as `cvf predict --similar`; absent: the bundle index's k. */
  readonly similar?: number;
  readonly shards: readonly Shard[];
}

/** The id of the shard [start, end) of a dataset: stable, sortable, and unique per dataset. */
export function shardId(digest: string, start: number, end: number): string {
  const pad = (n: number) => String(n).padStart(9, '0');
  return `${digest.slice(0, 16)}-${pad(start)}-${pad(end)}`;
}

/** Shards of at most `size` items each, in order. */
export function shardsBySize(digest: string, count: number, size: number): Shard[] {
  if (!Number.isSafeInteger(size) || size < 1) throw new CvfError('USAGE_INVALID', `--shard-size ${size}: expected a positive integer`);
  const shards: Shard[] = [];
  for (let start = 0; start < count; start += size) shards.push({ id: shardId(digest, start, Math.min(count, start + size)), start, end: Math.min(count, start + size) });
  return shards;
}

/** `count` items in `n` shards of sizes differing by at most one (an Indexed Job's completions), in order. */
export function shardsByCount(digest: string, count: number, n: number): Shard[] {
  if (!Number.isSafeInteger(n) || n < 1) throw new CvfError('USAGE_INVALID', `--shards ${n}: expected a positive integer`);
  if (n > count) throw new CvfError('USAGE_INVALID', `--shards ${n}: the dataset has only ${count} images; give at most ${count} shards`);
  return Array.from({ length: n }, (_, i) => {
    const start = Math.floor((i * count) / n);
    const end = Math.floor(((i + 1) * count) / n);
    return { id: shardId(digest, start, end), start, end };
  });
}

/** Two plans that compute the same thing (a re-run, or another pod of the same Indexed Job). */
export function samePlan(a: BatchPlan, b: BatchPlan): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
