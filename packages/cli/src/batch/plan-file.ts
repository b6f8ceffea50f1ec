import { CvfError } from '@cvf/core';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from './shard-files.js';
import { samePlan, type BatchPlan } from './shard-plan.js';

const PLAN_FILE = 'batch.json';

/** The plan of the batch job whose outputs are in `out`, or null when there is none yet. */
export async function readPlan(out: string): Promise<BatchPlan | null> {
  try {
    return JSON.parse(await readFile(join(out, PLAN_FILE), 'utf8')) as BatchPlan;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Records the plan in `out` (`batch.json`), where every process of the job writes the same one.
 * An output folder holding another job (other model, dataset, kind or sharding) is refused: its
 * finished shards would otherwise be merged into this job's output.
 */
export async function recordPlan(out: string, plan: BatchPlan): Promise<void> {
  const existing = await readPlan(out);
  if (existing && samePlan(existing, plan)) return;
  if (existing) {
    throw new CvfError(
      'BATCH_OUT_MISMATCH',
      `${out} holds the outputs of another batch job (${existing.kind} with ${existing.model.bundle} on ${existing.dataset.size} images in ${existing.shards.length} shards, dataset ${existing.dataset.digest.slice(0, 16)}); give another --out or delete it`,
    );
  }
  await mkdir(out, { recursive: true });
  await writeFileAtomically(join(out, PLAN_FILE), new TextEncoder().encode(`${JSON.stringify(plan, null, 2)}\n`));
}
