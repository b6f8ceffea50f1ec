import { CvfError } from '@cvf/core';
import { join } from 'node:path';
import { readPlan } from './plan-file.js';
import { readShardDone, readShardOutput, removeLeftoverTemporaries, writeFileAtomically, type ShardDone } from './shard-files.js';

export interface MergeSummary {
  readonly kind: 'predict' | 'embed';
  readonly images: number;
  readonly shards: number;
  /** Images that could not be read: an error line in predictions.jsonl (predict) or errors.jsonl (embed). */
  readonly errors: number;
  /** The files written, as paths. */
  readonly files: readonly string[];
}

/**
 * Concatenates the finished shards of the job in `out` in dataset order: `predictions.jsonl`
 * (predict) or `embeddings.f32` (float32 rows, little endian), `ids.json` (the id of each row) and
 * `errors.jsonl` (the images left out, each with its error) (embed). Every shard
 * must be finished and match the hash its done record gives; the merged files are written by
 * temporary file and rename, so a merge run twice, or by two processes, gives the same files.
 * Temporary files that killed workers left among the shards are removed.
 */
export async function mergeShards(out: string): Promise<MergeSummary> {
  const plan = await readPlan(out);
  if (!plan) throw new CvfError('BATCH_NOT_FOUND', `${out} holds no batch job (no batch.json); give the --out folder of cvf batch predict or embed`);
  const done: ShardDone[] = [];
  const missing: string[] = [];
  for (const shard of plan.shards) {
    const record = await readShardDone(out, shard.id);
    if (!record) missing.push(shard.id);
    else done.push(record);
  }
  if (missing.length > 0) {
    const listed = missing.slice(0, 5).join(', ') + (missing.length > 5 ? `, and ${missing.length - 5} more` : '');
    throw new CvfError('BATCH_INCOMPLETE', `${out}: ${missing.length} of ${plan.shards.length} shards are not finished (${listed}); run their workers or cvf batch again, then merge`);
  }
  await removeLeftoverTemporaries(out);
  const chunks = async (name: (id: string) => string) => Promise.all(done.map((record) => readShardOutput(out, record, name(record.shard.id))));
  let files: string[];
  if (plan.kind === 'predict') {
    files = [join(out, 'predictions.jsonl')];
    await writeFileAtomically(files[0]!, concat(await chunks((id) => `${id}.jsonl`)));
  } else {
    // A shard none of whose images could be read has no rows, hence no length.
    const dims = new Set(done.filter((record) => record.images > record.errors).map((record) => record.dim));
    if (dims.size > 1) throw new CvfError('BATCH_OUTPUT_CORRUPT', `${out}: shards have embeddings of different lengths (${[...dims].join(', ')})`);
    files = [join(out, 'embeddings.f32'), join(out, 'ids.json'), join(out, 'errors.jsonl')];
    await writeFileAtomically(files[0]!, concat(await chunks((id) => `${id}.f32`)));
    const ids = (await chunks((id) => `${id}.ids.json`)).flatMap((bytes) => JSON.parse(new TextDecoder().decode(bytes)) as string[]);
    await writeFileAtomically(files[1]!, new TextEncoder().encode(`${JSON.stringify(ids)}\n`));
    // Shards embedded before errors were written out have none (they failed instead of skipping an image).
    const errorLines = await Promise.all(done.map((record) => (record.files[`${record.shard.id}.errors.jsonl`] === undefined && record.errors === 0 ? new Uint8Array(0) : readShardOutput(out, record, `${record.shard.id}.errors.jsonl`))));
    await writeFileAtomically(files[2]!, concat(errorLines));
  }
  const images = done.reduce((sum, record) => sum + record.images, 0);
  const errors = done.reduce((sum, record) => sum + record.errors, 0);
  return { kind: plan.kind, images, shards: done.length, errors, files };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
