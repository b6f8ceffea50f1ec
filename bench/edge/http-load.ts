// A closed-loop HTTP load generator in Node: `concurrency` clients, each sending its next request
// as soon as the last one is answered, over keep-alive connections (node:http). It reads every
// answer and can act during the load, so the hot-reload test counts answers by model version
// while it moves an alias (alias-load.ts); the timed runs use wrk, which takes less of the CPU
// the server needs (wrk-load.ts). Latencies are recorded after a warm-up.
import { Agent, request } from 'node:http';

export interface BenchRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface LoadOptions {
  readonly concurrency: number;
  readonly seconds: number;
  /** Requests during the first seconds are sent but not counted. Default 1. */
  readonly warmupSeconds?: number;
  /** Reads the model version out of a 200 answer, to count answers by version. */
  readonly versionOf?: (body: Buffer, headers: Record<string, string | string[] | undefined>) => string;
  /** Called once, `atSecond` seconds into the measured part (e.g. to move an alias under load). */
  readonly during?: { readonly atSecond: number; readonly action: () => Promise<void> | void };
}

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  /** The first few errors, as status and body (or the socket error). */
  readonly errorSamples: string[];
  readonly seconds: number;
  readonly throughput: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly byVersion: Record<string, number>;
  /** Every counted answer's latency, sorted (ms). */
  readonly latenciesMs: number[];
}

const REQUEST_TIMEOUT_MS = 60_000;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function send(agent: Agent, base: URL, r: BenchRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: base.hostname, port: base.port, method: 'POST', path: r.path, headers: { ...r.headers, 'content-length': String(r.body.length) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    req.on('error', reject);
    // A request the server never answers is an error of the run, not a bench that waits forever.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.end(r.body);
  });
}

/**
 * Sends `count` copies of a request at once and fails unless every answer is 200: a warm-up that
 * starts what the first requests of a kind start lazily (the server's DICOM decode workers).
 */
export async function warmUp(baseUrl: string, benchRequest: BenchRequest, count: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: count });
  try {
    const answers = await Promise.all(Array.from({ length: count }, () => send(agent, new URL(baseUrl), benchRequest)));
    const failed = answers.find((a) => a.status !== 200);
    if (failed) throw new Error(`warm-up ${benchRequest.path}: HTTP ${failed.status}: ${failed.body.toString('utf8').slice(0, 300)}`);
  } finally {
    agent.destroy();
  }
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The counted answers' latencies (ms, sorted here) over the measured span: what a load result reports of them. */
export function latencySummary(latencies: number[], seconds: number): Pick<LoadResult, 'requests' | 'seconds' | 'throughput' | 'p50Ms' | 'p99Ms' | 'latenciesMs'> {
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, seconds, throughput: latencies.length / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), latenciesMs: latencies };
}

export async function closedLoop(baseUrl: string, benchRequest: BenchRequest, options: LoadOptions): Promise<LoadResult> {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const warmupMs = (options.warmupSeconds ?? 1) * 1000;
  const started = performance.now();
  const measureFrom = started + warmupMs;
  const end = measureFrom + options.seconds * 1000;
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  const byVersion: Record<string, number> = {};
  let errors = 0;
  let action: Promise<void> | undefined;
  const client = async (): Promise<void> => {
    for (let now = performance.now(); now < end; now = performance.now()) {
      if (options.during && !action && now >= measureFrom + options.during.atSecond * 1000) action = Promise.resolve(options.during.action());
      const sent = performance.now();
      let failure: string | undefined;
      try {
        const answer = await send(agent, base, benchRequest);
        if (answer.status !== 200) failure = `HTTP ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)}`;
        else if (options.versionOf && sent >= measureFrom) {
          const version = options.versionOf(answer.body, answer.headers);
          byVersion[version] = (byVersion[version] ?? 0) + 1;
        }
      } catch (error) {
        failure = (error as Error).message;
      }
      if (sent < measureFrom) continue;
      if (failure !== undefined) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(failure);
      } else {
        latencies.push(performance.now() - sent);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  await action;
  agent.destroy();
  // Requests still in flight at `end` finish after it: the measured span ends with the last answer.
  const seconds = (Math.max(end, performance.now()) - measureFrom) / 1000;
  return { ...latencySummary(latencies, seconds), errors, errorSamples, byVersion };
}

/** `model_version` of an answer: the JSON body of a file route, or the JSON header of a v2 answer (binary outputs follow it). */
export function modelVersionOf(body: Buffer, headers: Record<string, string | string[] | undefined>): string {
  const headerLength = headers['inference-header-content-length'];
  const json = typeof headerLength === 'string' ? body.subarray(0, Number(headerLength)) : body;
  const version = (JSON.parse(json.toString('utf8')) as { model_version?: unknown }).model_version;
  return typeof version === 'string' ? version : 'unnamed';
}
