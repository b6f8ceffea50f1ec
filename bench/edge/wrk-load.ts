// The closed-loop HTTP load of the speed table and both goals, driven by wrk (Debian's `wrk`, in C):
// `concurrency` keep-alive connections, each sending its next request as soon as its last one is
// answered. A load generator shares the 2-core machine with the server it times, so it should take
// as little of it as it can: Node's HTTP client (http-load.ts, used before) spent 1.2 ms of CPU per
// request at concurrency 1 and 0.8 at 32, while the server needs both cores. Against one server in
// alternated rounds at concurrency 1 it measured a p50 0.6–3.2 ms and a p99 0.7–5.6 ms higher than
// wrk's (docs/serving.md). Latencies are timed per request by wrk-load.lua, after a warm-up, as
// http-load.ts timed them.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { latencySummary, type BenchRequest, type LoadResult } from './http-load.js';

export type WrkLoadResult = Omit<LoadResult, 'byVersion'>;

export interface WrkLoadOptions {
  readonly concurrency: number;
  /** Requests sent within these seconds, after the warm-up, are timed (to their answer, however late). */
  readonly seconds: number;
  /** Requests sent during the first seconds are not timed. Default 1. */
  readonly warmupSeconds?: number;
}

const SCRIPT = fileURLToPath(new URL('./wrk-load.lua', import.meta.url));
/** wrk runs whole seconds; this long past the measured span, the last requests sent in it can still be answered. */
const GRACE_SECONDS = 2;
const REQUEST_TIMEOUT = '60s';

/** What wrk-load.lua's done() writes. */
interface WrkReport {
  latenciesMs: number[];
  failures: number;
  samples: string[];
  unanswered: number;
  socketErrors: number;
  measureFrom: number;
  measureTo: number;
  lastAnswer: number;
}

function runWrk(args: readonly string[], env: Readonly<Record<string, string>>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error("bench/edge drives its HTTP load with wrk, which is not installed: run scripts/setup.sh (Debian's wrk package)") : error),
    );
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`wrk exited with ${code}:\n${stderr}${stdout.slice(-2000)}`))));
  });
}

/** Sends `request` to `baseUrl` from `concurrency` connections for the warm-up and `seconds`; latencies and throughput of the measured span. */
export async function wrkLoad(baseUrl: string, request: BenchRequest, options: WrkLoadOptions): Promise<WrkLoadResult> {
  const { concurrency, seconds } = options;
  const warmupSeconds = options.warmupSeconds ?? 1;
  const dir = mkdtempSync(join(tmpdir(), 'cvf-bench-wrk-'));
  try {
    const body = join(dir, 'body');
    writeFileSync(body, request.body);
    const headers = Object.entries(request.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
    const duration = Math.ceil(warmupSeconds + seconds) + GRACE_SECONDS;
    const args = ['-t', String(concurrency), '-c', String(concurrency), '-d', `${duration}s`, '--timeout', REQUEST_TIMEOUT, '-s', SCRIPT, ...headers, new URL(request.path, baseUrl).href];
    const stdout = await runWrk(args, { CVF_WRK_BODY: body, CVF_WRK_WARMUP_MS: String(warmupSeconds * 1000), CVF_WRK_MEASURE_MS: String(seconds * 1000) });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as WrkReport;
    // Each wrk thread keeps its first three failed answers; three in all say what went wrong.
    const errorSamples = report.samples.slice(0, 3);
    if (report.socketErrors > 0) errorSamples.push(`${report.socketErrors} socket errors or timeouts (over ${REQUEST_TIMEOUT})`);
    if (report.unanswered > 0) errorSamples.push(`${report.unanswered} requests unanswered ${GRACE_SECONDS} s after the measured span`);
    // As http-load.ts: the span ends with the last answer to a request sent within it.
    const span = (Math.max(report.measureTo, report.lastAnswer) - report.measureFrom) / 1000;
    return { ...latencySummary(report.latenciesMs, span), errors: report.failures + report.socketErrors + report.unanswered, errorSamples };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
