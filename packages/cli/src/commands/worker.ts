import { withSessionDefaults } from '@cvf/core';
import { createOrtNodeRuntime } from '@cvf/core/node';
import { Command, Option } from 'commander';
import { BATCH_QUEUE, failureReason, redisConnection, type ShardJobData, type ShardJobResult } from '../batch/batch-queue.js';
import { ShardRunner } from '../batch/shard-runner.js';
import { positiveIntegerOption } from '../option-parsers.js';
import { EXIT, runAction } from '../output.js';
import { DEVICE_KINDS, openDevice } from './predict.js';

interface WorkerOptions {
  queue: string;
  concurrency: number;
  device: (typeof DEVICE_KINDS)[number];
  threads?: number;
  lockDuration: number;
  stalledInterval: number;
  json?: boolean;
}

/** One line per shard event: started, done (or skipped), failed (with whether BullMQ will retry it). */
type ShardEvent = { state: 'started' | 'done' | 'skipped' | 'failed'; shard: string; attempt: number; images?: number; error?: string; willRetry?: boolean };

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('compute the shards of cvf batch jobs from a BullMQ queue on Redis, with the same Predictor as cvf predict (each bundle loaded once); SIGTERM finishes the current shard, then exits 0')
    .requiredOption('--queue <url>', 'the Redis of the batch queue (redis://HOST:PORT)')
    .option('--concurrency <n>', 'shards computed at once by this process', positiveIntegerOption, 1)
    .addOption(new Option('--device <kind>', 'where preprocessing and the extractor run (as cvf predict)').choices(DEVICE_KINDS).default('auto'))
    .option('--threads <n>', "ONNX Runtime intra-op threads per session (default: ONNX Runtime's own, half the logical CPUs on Linux); 1 when several workers share a machine", positiveIntegerOption)
    .option('--lock-duration <ms>', 'how long a shard stays taken without a sign of life from this worker; after that (a killed worker), another worker takes it', positiveIntegerOption, 30_000)
    .option('--stalled-interval <ms>', 'how often this worker looks for shards whose worker stopped giving signs of life', positiveIntegerOption, 30_000)
    .option('--json', 'print one JSON line per shard event')
    .action((options: WorkerOptions) => runAction(Boolean(options.json), () => runWorker(options), EXIT.badInput));
}

async function runWorker(options: WorkerOptions): Promise<number> {
  const json = Boolean(options.json);
  const print = (event: ShardEvent) => {
    if (json) process.stdout.write(`${JSON.stringify({ type: 'shard', ...event })}\n`);
    else process.stderr.write(`shard ${event.shard} ${event.state}${event.images !== undefined ? ` (${event.images} images)` : ''}${event.error ? `: ${event.error}${event.willRetry ? ' (will retry)' : ''}` : ''}\n`);
  };
  const connection = await redisConnection(options.queue);
  const device = await openDevice(options.device, false);
  const runner = new ShardRunner({ device, onnxRuntime: withSessionDefaults(await createOrtNodeRuntime(), { intraOpNumThreads: options.threads }) });
  // BullMQ loads when a worker starts, not with every `cvf` command.
  const { Worker } = await import('bullmq');
  const worker = new Worker<ShardJobData, ShardJobResult>(
    BATCH_QUEUE,
    async (job) => {
      print({ state: 'started', shard: job.data.shard.id, attempt: job.attemptsMade + 1 });
      try {
        const { done, skipped } = await runner.run(job.data);
        return { images: done.images, errors: done.errors, skipped };
      } catch (error) {
        throw failureReason(error);
      }
    },
    { connection, concurrency: options.concurrency, lockDuration: options.lockDuration, stalledInterval: options.stalledInterval, autorun: false },
  );
  worker.on('completed', (job, result) => print({ state: result.skipped ? 'skipped' : 'done', shard: job.data.shard.id, attempt: job.attemptsMade, images: result.images }));
  worker.on('failed', (job, error) => {
    if (job) print({ state: 'failed', shard: job.data.shard.id, attempt: job.attemptsMade, error: error.message, willRetry: job.attemptsMade < (job.opts.attempts ?? 1) });
  });
  // A lost Redis connection is retried by ioredis; BullMQ reports it here instead of crashing.
  worker.on('error', (error) => process.stderr.write(`worker: ${error.message}\n`));

  const stop = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  const running = worker.run();
  await worker.waitUntilReady();
  if (json) process.stdout.write(`${JSON.stringify({ type: 'ready', queue: BATCH_QUEUE, concurrency: options.concurrency })}\n`);
  else process.stderr.write(`worker on ${options.queue} (queue ${BATCH_QUEUE}, concurrency ${options.concurrency}); SIGTERM finishes the current shard and exits\n`);
  await stop;
  // close() waits for the shards in progress to finish and takes no new ones.
  await worker.close();
  await running;
  await runner.close();
  device.destroy();
  connection.disconnect();
  return EXIT.ok;
}
