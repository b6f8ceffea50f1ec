import { MonitorError } from '@cvf/core';
import { loadPipelineConfigFile } from '@cvf/core/node';
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { nonNegativeIntegerOption } from '../option-parsers.js';
import { EXIT, runAction } from '../output.js';
import { currentCvfCommand } from '../scheduler/cvf-child.js';
import { TimeTriggerScheduler } from '../scheduler/time-trigger-scheduler.js';
import { locateStore, openStore } from '../store-location.js';

interface SchedulerCommandOptions {
  config?: string;
  once?: boolean;
  trigger?: string;
  store?: string;
  inferenceLogDir?: string;
  pollMs: number;
  json?: boolean;
}

export function registerScheduler(program: Command): void {
  program
    .command('scheduler')
    .description("run the monitor's time triggers (monitor.schedule cron entries) as a daemon: each firing is a monitor event, then its action as a cvf child (drift-check: cvf monitor drift over the inference log; retrain: cvf retrain); also carries out the retrains drift and performance events asked for. SIGTERM stops it cleanly")
    .option('--config <file>', 'pipeline YAML with the monitor section (default: $CVF_CONFIG)')
    .option('--once', 'run what is due now (entries whose latest scheduled time has no event yet, pending retrains) and exit: the Kubernetes CronJob form')
    .option('--trigger <name>', 'only this schedule entry')
    .option('--store <dir|url>', 'tracking store: a folder or a postgres:// URL (default: $CVF_STORE, else tracking.store of the config, else the nearest .cvf/ here or above)')
    .option('--inference-log-dir <dir>', 'the inference log drift checks read (default: <store>/inference-log)')
    .option('--poll-ms <ms>', 'how often to look for retrains the drift and performance triggers asked for (0: never)', nonNegativeIntegerOption, 30_000)
    .option('--json', 'JSON lines: one per scheduling message; with --once the last is {"fired": [events]}')
    .action((options: SchedulerCommandOptions) => runAction(Boolean(options.json), () => scheduler(options), EXIT.badInput));
}

async function scheduler(options: SchedulerCommandOptions): Promise<number> {
  const configPath = options.config ?? (process.env.CVF_CONFIG || undefined);
  if (configPath === undefined) throw new MonitorError('MONITOR_SCHEDULE_INVALID', 'no pipeline config: give --config FILE (or set CVF_CONFIG); its monitor.schedule lists the time triggers');
  const config = await loadPipelineConfigFile(configPath);
  const names = config.monitor.schedule.map((e) => e.name);
  if (options.trigger !== undefined && !names.includes(options.trigger)) {
    throw new MonitorError('MONITOR_SCHEDULE_INVALID', `no schedule entry "${options.trigger}" in ${configPath}; entries: ${names.join(', ') || 'none (monitor.schedule is empty)'}`);
  }
  const storeRoot = locateStore({ flag: options.store, configStore: config.tracking.store, use: 'create' }).root;
  const store = await openStore({ flag: storeRoot, use: 'create' });
  const log = (message: string, fields: Record<string, unknown> = {}) => {
    const time = new Date().toISOString();
    if (options.json) process.stdout.write(`${JSON.stringify({ time, message, ...fields })}\n`);
    else process.stdout.write(`${time} ${message}${Object.entries(fields).map(([k, v]) => ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('')}\n`);
  };
  const scheduler = new TimeTriggerScheduler({
    config,
    configPath: resolve(configPath),
    store,
    storeRoot,
    inferenceLogDir: resolve(options.inferenceLogDir ?? join(store.root, 'inference-log')),
    cvf: currentCvfCommand(),
    ...(options.trigger !== undefined && { only: options.trigger }),
    pollMs: options.once ? 0 : options.pollMs,
    log,
  });
  try {
    if (options.once) {
      const fired = await scheduler.runDue();
      // JSON lines like the messages before it, the result last (as cvf retrain --json does).
      if (options.json) process.stdout.write(`${JSON.stringify({ fired })}\n`);
      else log('done', { fired: fired.length });
      return fired.every((e) => e.outcome?.status === 'done') ? EXIT.ok : EXIT.failed;
    }
    const stopped = new Promise<NodeJS.Signals>((resolveStop) => {
      process.once('SIGTERM', resolveStop);
      process.once('SIGINT', resolveStop);
    });
    scheduler.start();
    log('scheduler started', { triggers: scheduler.entries.map((e) => e.name), store: store.location });
    const signal = await stopped;
    log('stopping', { signal });
    await scheduler.stop();
    log('stopped');
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
