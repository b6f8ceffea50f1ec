import { CvfError } from '@cvf/core';
import { Command, Option } from 'commander';
import { hostname } from 'node:os';
import { EXIT, runAction } from '../output.js';
import { nonNegativeIntegerOption } from '../option-parsers.js';
import { parseRedisStreamUrl } from '../streams/redis-stream-url.js';
import type { ConsumeBus } from '../streams/consume-run.js';
import { DEVICE_KINDS } from './predict.js';
import { integerOption } from './serve-options.js';

/** Defaults of `cvf consume`, as its help shows them. */
export const CONSUME_DEFAULTS = {
  batch: 8,
  maxInFlight: 2,
  claimIdleMs: 60_000,
  dedupTtlS: 7 * 24 * 3600,
  ackWaitMs: 30_000,
  dedupWindowMs: 3600_000,
  fetchTimeoutMs: 30_000,
  maxDeliveries: 5,
  /** --drift-window when --metrics-port is given (without it no checks run unless asked for). */
  driftWindowWithMetrics: 100,
} as const;

export interface ConsumeOptions {
  redisStream?: string;
  group?: string;
  consumer?: string;
  claimIdle: number;
  dedupTtl: number;
  nats?: string;
  stream?: string;
  subject?: string;
  durable?: string;
  outSubject?: string;
  ackWait: number;
  dedupWindow: number;
  outStream?: string;
  batch: number;
  maxInFlight: number;
  refRoot?: string;
  fetchTimeout: number;
  maxDeliveries: number;
  similar?: number;
  store?: string;
  device: (typeof DEVICE_KINDS)[number];
  allowSoftware?: boolean;
  allowContractMismatch?: boolean;
  metricsPort?: number;
  driftWindow?: number;
  json?: boolean;
}

export function registerConsume(program: Command): void {
  program
    .command('consume')
    .description('predict images or DICOM arriving on a Redis stream (consumer group) or a NATS JetStream stream (durable pull consumer), writing each result to an output stream before acknowledging its message; runs until SIGTERM/SIGINT, then finishes the batches in flight and exits 0')
    .argument('<bundle>', 'a bundle folder or .tar file, or a registered model as NAME@ALIAS or NAME@VERSION')
    .option('--redis-stream <url>', 'the Redis stream to read: redis://HOST:PORT/STREAM (rediss:// for TLS, ?db=N for a database)')
    .option('--group <name>', 'Redis: the consumer group (created from the start of the stream if it does not exist)')
    .option('--consumer <name>', 'Redis: this consumer\'s name in the group (default: HOST-PID)')
    .option('--claim-idle <ms>', 'Redis: take over the entries of a consumer that has not beaten for them this long (taken for dead; a live one beats three times per period)', integerOption(1), CONSUME_DEFAULTS.claimIdleMs)
    .option('--dedup-ttl <s>', 'Redis: how long a written result keeps its entry from being written again', integerOption(1), CONSUME_DEFAULTS.dedupTtlS)
    .option('--nats <url>', 'the NATS server: nats://HOST:PORT')
    .option('--stream <name>', 'NATS: the JetStream stream of the inputs (created over --subject if absent)')
    .option('--subject <subject>', 'NATS: the subject of the inputs')
    .option('--durable <name>', 'NATS: the durable pull consumer (created if absent; consumers sharing it share the work)')
    .option('--out-subject <subject>', 'NATS: where results are published (default: cvf.results.STREAM)')
    .option('--ack-wait <ms>', 'NATS: a message neither acknowledged nor beaten for within this is delivered again (set when the durable is created here)', integerOption(1), CONSUME_DEFAULTS.ackWaitMs)
    .option('--dedup-window <ms>', 'NATS: how long the output stream drops a second copy of a result (when created here)', integerOption(1), CONSUME_DEFAULTS.dedupWindowMs)
    .option('--out-stream <name>', 'the output stream (default: Redis STREAM:results; NATS STREAM_RESULTS, created over --out-subject when no stream captures it)')
    .option('--batch <n>', 'messages predicted together', integerOption(1), CONSUME_DEFAULTS.batch)
    .option('--max-in-flight <k>', 'batches read but not yet acknowledged, at most (back-pressure)', integerOption(1), CONSUME_DEFAULTS.maxInFlight)
    .option('--ref-root <dir>', 'read file references ("ref" fields with a path) under this folder only; without it file references are refused (http(s) references are always fetched)')
    .option('--fetch-timeout <ms>', 'how long an http(s) reference may take', integerOption(1), CONSUME_DEFAULTS.fetchTimeoutMs)
    .option('--max-deliveries <n>', 'a message delivered more often than this (it killed the consumers it went to) is answered with STREAM_DELIVERY_LIMIT instead of tried again', integerOption(1), CONSUME_DEFAULTS.maxDeliveries)
    .option('--similar <k>', 'similar cases per result; 0 leaves them out (default: the bundle index k)', nonNegativeIntegerOption)
    .option('--store <dir|url>', 'tracking store (a folder or a postgres:// URL) for NAME@ALIAS (default: $CVF_STORE, else the nearest .cvf/ here or above)')
    .addOption(new Option('--device <kind>', 'where preprocessing and the extractor run').choices(DEVICE_KINDS).default('auto'))
    .option('--allow-software', 'let --device auto or webgpu use a software WebGPU adapter')
    .option('--allow-contract-mismatch', "predict inputs that do not meet the model's input contract instead of answering INPUT_CONTRACT_MISMATCH; their results are marked")
    .option('--metrics-port <port>', 'serve the stream\'s cvf_stream_* metrics (and cvf_drift_* gauges) at http://127.0.0.1:PORT/metrics while it runs (0: a free port)', integerOption(0))
    .option('--drift-window <n>', `every n predictions, check the last n for drift against the bundle's training reference and export the cvf_drift_* gauges (default ${CONSUME_DEFAULTS.driftWindowWithMetrics} with --metrics-port, else 0: no checks)`, integerOption(0))
    .option('--json', 'print each result as a JSON line once written and acknowledged, and a summary line at the end')
    .action((bundle: string, options: ConsumeOptions) => runAction(Boolean(options.json), async () => {
      // The NATS and Redis clients load when a consumer starts, not with every `cvf` command.
      const { runConsume } = await import('../streams/consume-run.js');
      return runConsume(bundle, consumeBus(options), options);
    }, EXIT.badInput));
}

/** Which bus the options name, checked: exactly one of --redis-stream and --nats, each with what it needs. */
export function consumeBus(options: ConsumeOptions): ConsumeBus {
  const usage = (message: string) => new CvfError('USAGE_INVALID', message);
  if ((options.redisStream === undefined) === (options.nats === undefined)) throw usage('give one bus: --redis-stream redis://HOST:PORT/STREAM --group G, or --nats nats://HOST:PORT --stream S --subject SUBJECT --durable D');
  if (options.redisStream !== undefined) {
    if (options.group === undefined) throw usage('--redis-stream needs --group <name> (the consumer group)');
    const natsOnly = (['stream', 'subject', 'durable', 'outSubject'] as const).filter((key) => options[key] !== undefined);
    if (natsOnly.length > 0) throw usage(`--${natsOnly.map(kebab).join(', --')} belong to --nats; with --redis-stream the stream is in its URL`);
    const address = parseRedisStreamUrl(options.redisStream);
    return { kind: 'redis', address, group: options.group, consumer: options.consumer ?? `${hostname()}-${process.pid}`, outStream: options.outStream ?? `${address.stream}:results`, claimIdleMs: options.claimIdle, dedupTtlS: options.dedupTtl };
  }
  const missing = (['stream', 'subject', 'durable'] as const).filter((key) => options[key] === undefined);
  if (missing.length > 0) throw usage(`--nats needs --${missing.join(', --')}`);
  if (options.group !== undefined || options.consumer !== undefined) throw usage('--group and --consumer belong to --redis-stream; with --nats the work is shared by --durable');
  const stream = options.stream!;
  return {
    kind: 'nats',
    url: options.nats!,
    stream,
    subject: options.subject!,
    durable: options.durable!,
    outSubject: options.outSubject ?? `cvf.results.${stream}`,
    outStream: options.outStream ?? `${stream}_RESULTS`,
    ackWaitMs: options.ackWait,
    dedupWindowMs: options.dedupWindow,
  };
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
