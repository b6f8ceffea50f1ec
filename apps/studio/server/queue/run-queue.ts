import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { errorLineSchema, type Job, type TrainLine } from '../../src/api/schemas.js';
import { StudioError } from '../errors.js';
import { trainArguments, type TrainCommand } from './train-command.js';
import { TrainOutputParser } from './train-output.js';

/** A job's lines are kept for late subscribers (a page opened mid-run), up to this many. */
const MAX_KEPT_LINES = 5000;
/** Ended jobs listed; older ones are forgotten (their runs stay in the tracking store). */
const MAX_ENDED_JOBS = 200;
/** After SIGTERM, the child has this long to end its run as killed before SIGKILL. */
const KILL_GRACE_MS = 20_000;

export interface JobListener {
  line(line: TrainLine): void;
  end(job: Job): void;
}

interface Entry {
  job: Job;
  configPath: string;
  child: ChildProcess | null;
  lines: TrainLine[];
  listeners: Set<JobListener>;
  cancelled: boolean;
  stderrTail: string;
}

export interface RunQueueOptions {
  command: TrainCommand;
  /** The tracking store the runs write to: an absolute folder, or a postgres:// URL. */
  store: string;
  concurrency: number;
  /** Working folder of the children (relative store paths in configs resolve from it). */
  cwd: string;
  /** The tracking run a job's child started, found by its studioJob tag; null until it exists. */
  findRun(jobId: string): Promise<string | null>;
  /** Marks runs whose process died without ending them (after a SIGKILL). */
  recoverOrphans(): void;
  log(message: string): void;
}

/**
 * The run queue: `cvf train --json` child processes, `concurrency` at a time, in order.
 * Cancelling a queued job drops it; cancelling a running one sends SIGTERM, and the CLI ends its
 * run as killed (SIGKILL after a grace period, then the orphaned run is marked failed).
 */
export class RunQueue {
  readonly #options: RunQueueOptions;
  readonly #entries = new Map<string, Entry>();
  #closing = false;

  constructor(options: RunQueueOptions) {
    this.#options = options;
  }

  list(): Job[] {
    return [...this.#entries.values()].map((e) => ({ ...e.job })).reverse();
  }

  get(jobId: string): Job {
    return { ...this.#entry(jobId).job };
  }

  /** Queues `cvf train CONFIG`; `config` is the API path, `configPath` the checked absolute path. */
  enqueue(config: string, configPath: string, overrides: readonly string[]): Job {
    if (this.#closing) throw new StudioError('REQUEST_INVALID', 'the studio is shutting down; no new runs start');
    const job: Job = { id: randomUUID(), config, overrides: [...overrides], state: 'queued', runId: null, queuedAt: Date.now(), startedAt: null, endedAt: null, error: null };
    this.#entries.set(job.id, { job, configPath, child: null, lines: [], listeners: new Set(), cancelled: false, stderrTail: '' });
    this.#forgetOldJobs();
    this.#pump();
    // Started at once when a slot is free: answer the job as it is now.
    return this.get(job.id);
  }

  cancel(jobId: string): Job {
    const entry = this.#entry(jobId);
    if (entry.job.state === 'queued') {
      entry.cancelled = true;
      this.#finish(entry, 'cancelled', 'cancelled before it started');
    } else if (entry.job.state === 'running' && !entry.cancelled) {
      entry.cancelled = true;
      this.#terminate(entry);
    }
    return { ...entry.job };
  }

  /** Replays a job's lines so far to `listener`, then follows it; `end` comes once (at once for an ended job). Returns the unsubscribe. */
  subscribe(jobId: string, listener: JobListener): () => void {
    const entry = this.#entry(jobId);
    for (const line of entry.lines) listener.line(line);
    if (isEnded(entry.job)) {
      listener.end({ ...entry.job });
      return () => {};
    }
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  /** The running job of a tracking run, if the queue started it. */
  jobOfRun(runId: string): Job | null {
    for (const entry of this.#entries.values()) if (entry.job.runId === runId) return { ...entry.job };
    return null;
  }

  /** The config file (absolute) a run launched by the queue was trained from. */
  configFileOfRun(runId: string): string | null {
    for (const entry of this.#entries.values()) if (entry.job.runId === runId) return entry.configPath;
    return null;
  }

  /** Stops: queued jobs are cancelled, running children get SIGTERM and are awaited (their runs end as killed). */
  async close(): Promise<void> {
    this.#closing = true;
    const running = [...this.#entries.values()].filter((e) => e.job.state === 'running' && e.child);
    for (const entry of this.#entries.values()) if (entry.job.state === 'queued' || entry.job.state === 'running') this.cancel(entry.job.id);
    await Promise.all(running.map((e) => new Promise<void>((done) => (e.child!.exitCode !== null || e.child!.signalCode !== null ? done() : e.child!.once('close', () => done())))));
  }

  #entry(jobId: string): Entry {
    const entry = this.#entries.get(jobId);
    if (!entry) throw new StudioError('JOB_NOT_FOUND', `no job "${jobId}" in the queue (ended jobs are kept for the last ${MAX_ENDED_JOBS})`);
    return entry;
  }

  #pump(): void {
    const running = [...this.#entries.values()].filter((e) => e.job.state === 'running').length;
    let free = this.#options.concurrency - running;
    for (const entry of this.#entries.values()) {
      if (free <= 0 || this.#closing) break;
      if (entry.job.state !== 'queued') continue;
      this.#start(entry);
      free--;
    }
  }

  #start(entry: Entry): void {
    const { command, store, cwd } = this.#options;
    const args = trainArguments(command, { config: entry.configPath, overrides: entry.job.overrides, store, jobId: entry.job.id });
    entry.job = { ...entry.job, state: 'running', startedAt: Date.now() };
    const child = spawn(command.command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    entry.child = child;
    const parser = new TrainOutputParser();
    let errorLine: string | null = null;
    let summaryRunId: string | null = null;
    const emit = (lines: TrainLine[]) => {
      for (const line of lines) {
        const failure = errorLineSchema.safeParse(line);
        if (failure.success) errorLine = `${failure.data.error.code}: ${failure.data.error.message}`;
        else if ('runId' in line && typeof line.runId === 'string') summaryRunId = line.runId;
        if (entry.lines.length < MAX_KEPT_LINES) entry.lines.push(line);
        for (const listener of entry.listeners) listener.line(line);
        if (entry.job.runId === null) void this.#linkRun(entry);
      }
    };
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => emit(parser.push(chunk)));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (entry.stderrTail = (entry.stderrTail + chunk).slice(-2000)));
    child.on('error', (error) => {
      this.#options.log(`cannot start ${command.command}: ${error.message}`);
      errorLine ??= `cannot start cvf train: ${error.message}`;
    });
    child.on('close', (code, signal) => {
      emit(parser.end());
      void this.#linkRun(entry).then(() => {
        if (entry.job.runId === null && summaryRunId) entry.job = { ...entry.job, runId: summaryRunId };
        if (signal === 'SIGKILL') this.#options.recoverOrphans();
        if (entry.cancelled) this.#finish(entry, 'cancelled', 'cancelled while running; the run ended as killed');
        else if (code === 0) this.#finish(entry, 'succeeded', null);
        else this.#finish(entry, 'failed', errorLine ?? `cvf train exited with ${signal ?? `code ${code}`}${entry.stderrTail ? `: ${entry.stderrTail.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
      });
    });
  }

  async #linkRun(entry: Entry): Promise<void> {
    if (entry.job.runId !== null) return;
    const runId = await this.#options.findRun(entry.job.id).catch(() => null);
    if (runId && entry.job.runId === null) entry.job = { ...entry.job, runId };
  }

  #terminate(entry: Entry): void {
    const child = entry.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    timer.unref();
    child.once('close', () => clearTimeout(timer));
  }

  #finish(entry: Entry, state: 'succeeded' | 'failed' | 'cancelled', error: string | null): void {
    entry.job = { ...entry.job, state, endedAt: Date.now(), error };
    entry.child = null;
    const ended = { ...entry.job };
    for (const listener of entry.listeners) listener.end(ended);
    entry.listeners.clear();
    this.#pump();
  }

  #forgetOldJobs(): void {
    const ended = [...this.#entries.values()].filter((e) => isEnded(e.job));
    for (const entry of ended.slice(0, Math.max(0, ended.length - MAX_ENDED_JOBS))) this.#entries.delete(entry.job.id);
  }
}

function isEnded(job: Job): boolean {
  return job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled';
}
