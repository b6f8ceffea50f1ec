import { CvfError } from '@cvf/core';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchKind, Shard } from './shard-plan.js';

/**
 * What marks a shard finished: written last, after its outputs, so a shard with this file has
 * complete outputs (whatever killed a worker before it), and it is never computed again.
 */
export interface ShardDone {
  readonly shard: Shard;
  readonly kind: BatchKind;
  readonly digest: string;
  readonly images: number;
  /** Images that could not be read: their lines carry the error, as in `cvf predict` (predict), or they are left out of the rows and listed in `<id>.errors.jsonl` (embed). */
  readonly errors: number;
  /** Embedding length (embed). */
  readonly dim?: number;
  /** Each output file of the shard (name in the shards folder) with its SHA-256. */
  readonly files: Readonly<Record<string, string>>;
}

export const SHARDS_FOLDER = 'shards';

export function shardsFolder(out: string): string {
  return join(out, SHARDS_FOLDER);
}

function donePath(out: string, id: string): string {
  return join(shardsFolder(out), `${id}.done.json`);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes `bytes` to `path` so that a reader sees the old file or the whole new one, never a part:
 * a temporary file of its own (unique per process and call, so two workers on one shard do not
 * collide) synced, then renamed over `path`.
 */
export async function writeFileAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CvfError('BATCH_OUTPUT_FAILED', `cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** A temporary file of `writeFileAtomically`: `<name>.tmp-<pid>-<8 hex>`. */
const TEMPORARY = /\.tmp-\d+-[0-9a-f]{8}$/;

/**
 * Removes the temporary files a killed writer left in the shards folder. Only once every shard is
 * finished: then none of them can still become an output that counts (a late duplicate writer of a
 * finished shard that loses its file fails, is retried, and finds the shard done).
 */
export async function removeLeftoverTemporaries(out: string): Promise<number> {
  const names = await readdir(shardsFolder(out)).catch(() => [] as string[]);
  const leftovers = names.filter((name) => TEMPORARY.test(name));
  await Promise.all(leftovers.map((name) => rm(join(shardsFolder(out), name), { force: true })));
  return leftovers.length;
}

/** The done record of a shard, or null while it is not finished. */
export async function readShardDone(out: string, id: string): Promise<ShardDone | null> {
  let text: string;
  try {
    text = await readFile(donePath(out, id), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return JSON.parse(text) as ShardDone;
}

/** Writes a shard's outputs, then its done record (with their hashes): the shard is finished when this returns. */
export async function writeShardOutputs(out: string, done: Omit<ShardDone, 'files'>, outputs: ReadonlyMap<string, Uint8Array>): Promise<ShardDone> {
  const folder = shardsFolder(out);
  await mkdir(folder, { recursive: true });
  const files: Record<string, string> = {};
  for (const [name, bytes] of outputs) {
    await writeFileAtomically(join(folder, name), bytes);
    files[name] = sha256(bytes);
  }
  const record: ShardDone = { ...done, files };
  await writeFileAtomically(donePath(out, done.shard.id), new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`));
  return record;
}

/** A finished shard's output file, checked against the hash its done record gives (BATCH_OUTPUT_CORRUPT names it). */
export async function readShardOutput(out: string, done: ShardDone, name: string): Promise<Uint8Array> {
  const expected = done.files[name];
  if (expected === undefined) throw new CvfError('BATCH_OUTPUT_CORRUPT', `shard ${done.shard.id} lists no output ${name} (it has ${Object.keys(done.files).join(', ')})`);
  const path = join(shardsFolder(out), name);
  const bytes = new Uint8Array(await readFile(path));
  if (sha256(bytes) !== expected) throw new CvfError('BATCH_OUTPUT_CORRUPT', `${path} does not match the SHA-256 its done record gives; delete ${donePath(out, done.shard.id)} to compute the shard again`);
  return bytes;
}
