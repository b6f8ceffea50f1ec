import { CpuDevice, CvfError, withSessionDefaults } from '@cvf/core';
import { createOrtNodeRuntime, sharpImageDecoder } from '@cvf/core/node';
import { dicomInputDecoder } from '@cvf/medical';
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { openBatchDataset, parseDatasetArgument } from '../batch/batch-dataset.js';
import { runInProcess } from '../batch/batch-local.js';
import { mergeShards, type MergeSummary } from '../batch/batch-merge.js';
import type { BatchProgress, FailedShard } from '../batch/batch-producer.js';
import { checkQueueUrl, DEFAULT_RETRY } from '../batch/batch-queue.js';
import { BatchRunRecord } from '../batch/batch-run-record.js';
import { recordPlan } from '../batch/plan-file.js';
import { ShardRunner } from '../batch/shard-runner.js';
import { BATCH_KINDS, shardsByCount, shardsBySize, type BatchKind, type BatchPlan, type Shard } from '../batch/shard-plan.js';
import { resolveModelArgument } from '../model-argument.js';
import { nonNegativeIntegerOption, positiveIntegerOption } from '../option-parsers.js';
import { EXIT, printJson, runAction } from '../output.js';
import { ProgressReporter } from '../progress.js';
import { DEVICE_KINDS, openDevice } from './predict.js';

/** Images per shard when `--shard-size` is not given. */
const DEFAULT_SHARD_SIZE = 1000;

interface BatchOptions {
  out: string;
  queue?: string;
  shardSize: number;
  shardIndex?: number;
  shards?: number;
  similar?: number;
  store?: string;
  recursive?: boolean;
  device: (typeof DEVICE_KINDS)[number];
  threads?: number;
  attempts: number;
  backoff: number;
  json?: boolean;
}

export function registerBatch(program: Command): void {
  const batch = program.command('batch').description('distributed batch jobs: predict or embed a whole dataset in shards, over a BullMQ queue on Redis (cvf worker), or one shard of N per process (Kubernetes Indexed Jobs)');
  for (const kind of BATCH_KINDS) registerKind(batch, kind);
  batch
    .command('merge')
    .description('concatenate the finished shards of a batch job into predictions.jsonl, or embeddings.f32 + ids.json + errors.jsonl (images that could not be read), in dataset order')
    .argument('<dir>', 'the --out folder of the batch job')
    .option('--json', 'print JSON')
    .action((dir: string, options: { json?: boolean }) =>
      runAction(Boolean(options.json), async () => {
        const summary = await mergeShards(dir);
        if (options.json) printJson(summary);
        else process.stdout.write(`merged ${summary.shards} shards, ${summary.images} images: ${summary.files.join(', ')}\n`);
        return summary.errors > 0 ? EXIT.failed : EXIT.ok;
      }),
    );
}

function registerKind(batch: Command, kind: BatchKind): void {
  const what = kind === 'predict' ? "each image's prediction as cvf predict --json gives it (predictions.jsonl)" : "each image's embedding, its features after PCA (embeddings.f32, float32 rows, with ids.json; an image that cannot be read is a line of errors.jsonl)";
  const command = batch
    .command(kind)
    .description(`compute ${what} over a dataset, in shards`)
    .argument('<model>', 'a bundle folder or .tar file, or a registered model as NAME@ALIAS or NAME@VERSION (resolved once, so every worker loads the same version)')
    .argument('<dataset>', 'a pipeline config (its data section: every case, train, val and test), a folder or file of images or DICOM, or a DICOMweb QIDO-RS query URL (http://pacs/dicom-web/instances?Modality=CT)')
    .requiredOption('--out <dir>', 'where the shards (shards/), the job plan (batch.json) and the merged outputs go')
    .option('--queue <url>', 'enqueue the shards on Redis (redis://HOST:PORT) for cvf worker processes, show progress and merge at the end; without it the shards run in this process')
    .option('--shard-size <n>', 'images per shard (with --queue, or all in this process)', positiveIntegerOption, DEFAULT_SHARD_SIZE)
    .option('--shards <n>', 'split into N shards and run only the one of --shard-index (or $JOB_COMPLETION_INDEX): a pod of an Indexed Job', positiveIntegerOption)
    .option('--shard-index <i>', 'the shard of --shards to run (default: $JOB_COMPLETION_INDEX)', nonNegativeIntegerOption)
    .option('--store <dir>', 'tracking store for NAME@ALIAS and the run record (default: $CVF_STORE, else the nearest .cvf/ here or above, else ./.cvf)')
    .option('-r, --recursive', 'read a folder with its subfolders')
    .addOption(new Option('--device <kind>', 'where preprocessing and the extractor run in this process (as cvf predict)').choices(DEVICE_KINDS).default('auto'))
    .option('--threads <n>', "ONNX Runtime intra-op threads per session in this process (default: ONNX Runtime's own, half the logical CPUs on Linux)", positiveIntegerOption)
    .option('--attempts <n>', 'tries of a shard on the queue before it counts as failed', positiveIntegerOption, DEFAULT_RETRY.attempts)
    .option('--backoff <ms>', 'wait before the first retry of a shard, doubled for each next one', nonNegativeIntegerOption, DEFAULT_RETRY.backoffMs)
    .option('--json', 'print progress events and the summary as JSON');
  if (kind === 'predict') command.option('--similar <k>', 'similar cases per image; 0 leaves them out (default: the bundle index k)', nonNegativeIntegerOption);
  command.action((modelArg: string, datasetArg: string, options: BatchOptions) => runAction(Boolean(options.json), () => runBatch(kind, modelArg, datasetArg, options), EXIT.badInput));
}

async function runBatch(kind: BatchKind, modelArg: string, datasetArg: string, options: BatchOptions): Promise<number> {
  const json = Boolean(options.json);
  const shardIndex = options.shardIndex ?? jobCompletionIndex(options.shards);
  if (options.queue !== undefined && options.shards !== undefined) throw new CvfError('USAGE_INVALID', '--queue and --shards are two ways to run a batch job: workers take the shards from the queue, or each process runs its --shard-index; give one');
  if (options.shardIndex !== undefined && options.shards === undefined) throw new CvfError('USAGE_INVALID', '--shard-index needs --shards N, the number of shards of the job');
  if (options.shards !== undefined && shardIndex === undefined) throw new CvfError('USAGE_INVALID', `--shards ${options.shards} runs one shard: give --shard-index I (0..${options.shards - 1}) or set JOB_COMPLETION_INDEX`);
  if (options.shards !== undefined && shardIndex !== undefined && shardIndex >= options.shards) throw new CvfError('USAGE_INVALID', `--shard-index ${shardIndex}: expected 0..${options.shards - 1} for --shards ${options.shards}`);
  const out = resolve(options.out);
  const plan = await planBatch(kind, modelArg, datasetArg, options);
  await recordPlan(out, plan);

  const reporter = new ProgressReporter({ json });
  let record: BatchRunRecord | undefined;
  const report = (progress: BatchProgress) => {
    reporter.update({ stage: `batch ${kind}`, done: progress.done + progress.failed, total: progress.shards, metrics: { images: progress.images, 'images/s': progress.seconds > 0 ? progress.images / progress.seconds : 0, failed: progress.failed, 'image errors': progress.imageErrors } });
    record?.progress(progress);
  };

  // A pod of an Indexed Job (--shards) records its own run, tagged with its shard.
  const pod = options.shards !== undefined ? { index: shardIndex!, count: options.shards } : undefined;
  record = await BatchRunRecord.start(options.store, plan, out, pod);
  let outcome: { progress: BatchProgress; failures: FailedShard[] };
  try {
    if (pod) {
      outcome = await withRunner(options, (runner) => runInProcess(plan, out, [plan.shards[pod.index]!], runner, report));
    } else if (options.queue !== undefined) {
      if (!json) process.stderr.write(`${plan.shards.length} shards of ${plan.dataset.size} images on ${options.queue}; workers take them: cvf worker --queue ${options.queue}\n`);
      // BullMQ loads only for a queued batch, not with every `cvf` command (about 5 MB of heap).
      const { runOnQueue } = await import('../batch/batch-producer.js');
      outcome = await runOnQueue(plan, out, options.queue, { retry: { attempts: options.attempts, backoffMs: options.backoff }, onProgress: report });
    } else {
      outcome = await withRunner(options, (runner) => runInProcess(plan, out, plan.shards, runner, report));
    }
  } catch (error) {
    await record.finish({ shards: pod ? 1 : plan.shards.length, done: 0, failed: 0, skipped: 0, images: 0, imageErrors: 0, seconds: 0 }, [], error instanceof Error ? error.message : String(error));
    throw error;
  }
  await record.finish(outcome.progress, outcome.failures);
  // A pod merges nothing: `cvf batch merge` runs once every pod has finished.
  const merged = !pod && outcome.failures.length === 0 ? await mergeShards(out) : null;
  return finish(json, out, outcome.progress, outcome.failures, merged, record.runId);
}

/** The plan of this command: the model resolved to one bundle, the dataset listed and digested, the shards. */
async function planBatch(kind: BatchKind, modelArg: string, datasetArg: string, options: BatchOptions): Promise<BatchPlan> {
  const resolved = await resolveModelArgument(modelArg, options.store);
  const registered = resolved.registered;
  const model = {
    bundle: resolve(resolved.source.location),
    ...(registered && { name: registered.name, version: registered.version, ...(registered.digest !== null && { digest: registered.digest }) }),
  };
  // Listing decodes nothing: a CPU Device stands in for the workers' own.
  const device = new CpuDevice();
  const dataset = await openBatchDataset(parseDatasetArgument(datasetArg, { recursive: Boolean(options.recursive) }), { device, decode: { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder } });
  const size = dataset.items.length;
  const shards: Shard[] = options.shards !== undefined ? shardsByCount(dataset.digest, size, options.shards) : shardsBySize(dataset.digest, size, options.shardSize);
  return {
    version: 1,
    kind,
    model,
    dataset: { spec: dataset.spec, digest: dataset.digest, size },
    ...(kind === 'predict' && options.similar !== undefined && { similar: options.similar }),
    shards,
  };
}

/** A ShardRunner on the Device and ONNX Runtime of the options, released afterwards. */
async function withRunner<T>(options: BatchOptions, work: (runner: ShardRunner) => Promise<T>): Promise<T> {
  const device = await openDevice(options.device, false);
  const runner = new ShardRunner({ device, onnxRuntime: withSessionDefaults(await createOrtNodeRuntime(), { intraOpNumThreads: options.threads }) });
  try {
    return await work(runner);
  } finally {
    await runner.close();
    device.destroy();
  }
}

/** JOB_COMPLETION_INDEX (set by Kubernetes in each pod of an Indexed Job) when --shards is given. */
function jobCompletionIndex(shards: number | undefined): number | undefined {
  const value = process.env.JOB_COMPLETION_INDEX;
  if (shards === undefined || value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new CvfError('USAGE_INVALID', `JOB_COMPLETION_INDEX=${value}: expected 0 or a positive integer`);
  return Number(value);
}

function finish(json: boolean, out: string, progress: BatchProgress, failures: readonly FailedShard[], merged: MergeSummary | null, runId?: string): number {
  const imagesPerSecond = progress.seconds > 0 ? progress.images / progress.seconds : 0;
  const summary = {
    out,
    shards: progress.shards,
    done: progress.done,
    skipped: progress.skipped,
    images: progress.images,
    imagesPerSecond,
    failed: failures.map((f) => ({ shard: f.shard.id, start: f.shard.start, end: f.shard.end, error: f.error })),
    // Merged: every image of the job; otherwise the images this run computed.
    ...(merged ? { merged: merged.files, imageErrors: merged.errors } : { imageErrors: progress.imageErrors }),
    ...(runId !== undefined && { runId }),
  };
  if (json) printJson({ type: 'summary', ...summary });
  else {
    for (const f of failures) process.stderr.write(`shard ${f.shard.id} (images ${f.shard.start}..${f.shard.end - 1}) failed: ${f.error}\n`);
    process.stdout.write(`${progress.done}/${progress.shards} shards done (${progress.skipped} already finished), ${progress.images} images at ${imagesPerSecond.toFixed(1)} images/s${merged ? `; merged into ${merged.files.join(', ')}` : ''}\n`);
  }
  return failures.length > 0 || (merged?.errors ?? 0) > 0 ? EXIT.failed : EXIT.ok;
}
