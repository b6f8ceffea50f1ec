import { Cron } from 'croner';
import type { ScheduleEntry } from '../../config/sections/monitor.js';

/** A running time trigger. */
export interface CronJob {
  /** When it fires next (null when the expression has no future time). */
  nextRun(): Date | null;
  stop(): void;
}

/**
 * Starts `entry`'s cron expression (croner syntax: five fields, or six with seconds first).
 * A firing while the previous one of the same entry still runs is skipped, not stacked.
 */
export function startCronJob(entry: ScheduleEntry, fire: (scheduledFor: Date) => Promise<unknown>): CronJob {
  const job = new Cron(entry.cron, { name: entry.name, protect: true }, async (self: Cron) => {
    await fire(self.currentRun() ?? new Date());
  });
  return { nextRun: () => job.nextRun(), stop: () => job.stop() };
}

/** The latest time at or before `now` that `cron` names (what a CronJob run at `now` stands for); undefined if none. */
export function latestScheduledTime(cron: string, now: Date): Date | undefined {
  const [latest] = new Cron(cron, { paused: true }).previousRuns(1, now);
  return latest;
}
