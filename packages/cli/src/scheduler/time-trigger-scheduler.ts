import { latestScheduledTime, recordDriftTrigger, startCronJob, type CronJob, type DriftResult, type MonitorEvent, type PipelineConfig, type ScheduleEntry } from '@cvf/core';
import { isProcessAlive, type TrackingStore } from '@cvf/core/node';
import { CvfChild, type CvfCommand } from './cvf-child.js';

export interface SchedulerOptions {
  readonly config: PipelineConfig;
  /** Path of the config file (children are started with it). */
  readonly configPath: string;
  readonly store: TrackingStore;
  readonly storeRoot: string;
  /** The inference log drift checks read. */
  readonly inferenceLogDir: string;
  /** How children are started. */
  readonly cvf: CvfCommand;
  /** Only this schedule entry (by name); default: all. */
  readonly only?: string;
  /** How often pending retrain events of the drift and performance triggers are looked for; 0: never. */
  readonly pollMs: number;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * The monitor's time triggers (`monitor.schedule`) as croner jobs. Each firing is a `time` event
 * in the tracking store and then its action, run as a `cvf` child: `retrain` → `cvf retrain
 * CONFIG --model NAME`, `drift-check` → `cvf monitor drift NAME@ALIAS --data <inference log>`.
 * It also carries out the retrains the drift and performance triggers asked for (events with
 * action retrain and no outcome). Actions run one at a time: two trainings never compete.
 */
export class TimeTriggerScheduler {
  readonly #options: SchedulerOptions;
  readonly #model: string;
  readonly #alias: string;
  readonly #jobs: CronJob[] = [];
  #queue: Promise<void> = Promise.resolve();
  #child: CvfChild | undefined;
  #poll: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#model = options.config.registry.modelName ?? options.config.name;
    this.#alias = options.config.registry.alias ?? 'production';
  }

  /** The schedule entries this scheduler runs. */
  get entries(): ScheduleEntry[] {
    const { schedule } = this.#options.config.monitor;
    return this.#options.only === undefined ? schedule : schedule.filter((e) => e.name === this.#options.only);
  }

  /** Starts the cron jobs (and the poll for pending retrains): the daemon form. */
  start(): void {
    void this.#enqueue(() => this.#recoverAbandoned());
    for (const entry of this.entries) {
      const job = startCronJob(entry, (scheduledFor) => this.#enqueue(() => this.#fire(entry, scheduledFor)));
      this.#jobs.push(job);
      this.#options.log('scheduled', { trigger: entry.name, cron: entry.cron, action: entry.action, next: job.nextRun()?.toISOString() });
    }
    if (this.#options.pollMs > 0) {
      this.#poll = setInterval(() => void this.#enqueue(() => this.#runPendingRetrains()), this.#options.pollMs);
    }
  }

  /**
   * The CronJob form: fires each entry whose latest scheduled time (at or before `now`) has no
   * time event yet, and carries out pending retrains; resolves once all of that is done.
   */
  async runDue(now = new Date()): Promise<MonitorEvent[]> {
    await this.#enqueue(() => this.#recoverAbandoned());
    const fired: MonitorEvent[] = [];
    const recent = await this.#options.store.listMonitorEvents({ kind: 'time' });
    for (const entry of this.entries) {
      const latest = latestScheduledTime(entry.cron, now);
      if (latest === undefined) continue;
      const last = recent.find((e) => e.trigger === entry.name);
      if (last !== undefined && Date.parse(String(last.figures.scheduledFor)) >= latest.getTime()) continue;
      await this.#enqueue(async () => void fired.push(await this.#fire(entry, latest)));
    }
    await this.#enqueue(() => this.#runPendingRetrains());
    return fired;
  }

  /** Stops the jobs, sends SIGTERM to a running child and waits for it. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const job of this.#jobs) job.stop();
    clearInterval(this.#poll);
    this.#child?.stop();
    await this.#queue;
  }

  #enqueue(work: () => Promise<unknown>): Promise<void> {
    const next = this.#queue.then(async () => {
      if (this.#stopped) return;
      try {
        await work();
      } catch (error) {
        this.#options.log('scheduled work failed', { error: error instanceof Error ? error.message : String(error) });
      }
    });
    this.#queue = next;
    return next;
  }

  /**
   * Actions left `running` by a scheduler that died (SIGKILL, power loss) whose child is gone too:
   * marked `abandoned`, so `cvf monitor events` does not show them running forever. A child still
   * alive (another scheduler's, or an orphan finishing its work) is left alone.
   */
  async #recoverAbandoned(): Promise<void> {
    const events = await this.#options.store.listMonitorEvents({ limit: 1000 });
    for (const event of events) {
      if (event.outcome?.status !== 'running') continue;
      const pid = event.outcome.pid;
      if (typeof pid === 'number' && isProcessAlive(pid)) continue;
      await this.#options.store.setMonitorEventOutcome(event.id, { ...event.outcome, status: 'abandoned' });
      this.#options.log('abandoned action', { event: event.id, action: event.action, pid });
    }
  }

  async #fire(entry: ScheduleEntry, scheduledFor: Date): Promise<MonitorEvent> {
    const served = await this.#options.store.getByAlias(this.#model, this.#alias);
    const event = await this.#options.store.recordMonitorEvent({
      kind: 'time',
      trigger: entry.name,
      model: this.#model,
      version: served === null ? null : String(served.version),
      action: entry.action,
      figures: { cron: entry.cron, scheduledFor: scheduledFor.toISOString() },
    });
    this.#options.log('time trigger fired', { trigger: entry.name, event: event.id, action: entry.action });
    return this.#carryOut(event);
  }

  async #runPendingRetrains(): Promise<void> {
    const pending = await this.#options.store.listMonitorEvents({ pendingAction: 'retrain' });
    // Oldest first; one retrain answers every request for the same model.
    const mine = pending.filter((e) => e.model === this.#model && e.kind !== 'time').reverse();
    if (mine.length === 0) return;
    const [first, ...rest] = mine;
    const done = await this.#carryOut(first!);
    for (const e of rest) await this.#options.store.setMonitorEventOutcome(e.id, { status: 'merged', into: done.id });
  }

  /** Runs the event's action as a cvf child and records what came of it. */
  async #carryOut(event: MonitorEvent): Promise<MonitorEvent> {
    const { store, configPath, storeRoot, inferenceLogDir, cvf } = this.#options;
    const { window, drift } = this.#options.config.monitor;
    const args =
      event.action === 'retrain'
        ? ['retrain', configPath, '--model', this.#model, '--json']
        : ['monitor', 'drift', `${this.#model}@${this.#alias}`, '--data', inferenceLogDir, '--window', String(window), '--method', drift.method, '--permutations', String(drift.permutations), '--json'];
    const child = new CvfChild({ command: cvf.command, args: cvf.args }, args, { env: { CVF_STORE: storeRoot } });
    this.#child = child;
    await store.setMonitorEventOutcome(event.id, { status: 'running', pid: child.pid ?? null, command: args.join(' ') });
    const outcome = await child.done;
    this.#child = undefined;
    const status = this.#stopped ? 'interrupted' : outcome.exitCode === 0 ? 'done' : 'failed';
    this.#options.log(`${event.action} ${status}`, { event: event.id, exitCode: outcome.exitCode, signal: outcome.signal });
    const driftEvent = event.action === 'drift-check' && status === 'done' ? await this.#recordDrift(event, outcome.result) : undefined;
    return store.setMonitorEventOutcome(event.id, { status, ...outcome, ...(driftEvent !== undefined && { driftEvent: driftEvent?.id ?? null }) });
  }

  /** A scheduled drift check that found drift is a drift event too (asking for a retrain when monitor.retrain says so). */
  async #recordDrift(check: MonitorEvent, result: unknown): Promise<MonitorEvent | null> {
    const ran = (Array.isArray(result) ? result : [result]).filter((r): r is DriftResult => typeof r === 'object' && r !== null && 'drifted' in r);
    if (ran.length === 0) return null;
    const answer = Array.isArray(result) ? ran : ran[0]!;
    const event = await recordDriftTrigger(this.#options.store, { name: this.#model, version: check.version }, answer, this.#options.config.monitor, check.trigger);
    if (event) this.#options.log('drift trigger fired', { event: event.id, action: event.action });
    return event;
  }
}

