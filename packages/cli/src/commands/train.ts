import { runTrainingPipeline, runTuning, type TuneSummary } from '@cvf/core';
import { loadPipelineConfigFile } from '@cvf/core/node';
import { InvalidArgumentError, type Command } from 'commander';
import { EXIT, runAction } from '../output.js';
import { runInterruptibleTraining } from '../training/interruptible-training.js';

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a pipeline: features, PCA, index, head, evaluation, bundle, registry — tracked as a run')
    .argument('<config>', 'pipeline YAML')
    .option('--set <path=value>', 'override a config value (YAML), e.g. --set train.epochs=5; repeatable', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--resume <run-id>', "continue an interrupted run's head training from its last checkpoint (a new run, child of that one)")
    .option('--store <dir|url>', 'tracking store: a folder or a postgres:// URL (default: $CVF_STORE, else tracking.store of the config, else the nearest .cvf/ here or above, else ./.cvf)')
    .option('--name <name>', 'name of the run (default: the pipeline name)')
    .option('--note <text>', 'a note kept with the run (its "note" tag), shown by cvf runs show')
    .option('--tag <key=value>', 'a tag of this run only, not part of the config or its hash; repeatable', collectTag, {} as Record<string, string>)
    .option('--json', 'JSON lines of progress; the last line is the summary')
    .action((configPath: string, options: TrainOptions) =>
      runAction(Boolean(options.json), async () => {
        // Bounded, regular-file, UTF-8 read: the same checks as `cvf validate`.
        const config = await loadPipelineConfigFile(configPath, { overrides: options.set });
        // Ctrl-C or SIGTERM ends the run as killed (between batches) instead of leaving it running.
        return runInterruptibleTraining(
          { config, configPath, store: options.store, json: Boolean(options.json), interrupted: (signal) => `training interrupted by ${signal}; the run is marked killed` },
          async (environment) => {
            // tune.enabled: a search of child runs, the best one registered.
            const named = { ...(options.name === undefined ? {} : { runName: options.name }), ...(options.note === undefined ? {} : { note: options.note }), tags: options.tag };
            const summary =
              config.tune.enabled && !options.resume ? await runTuning(config, environment, named) : await runTrainingPipeline(config, environment, { ...named, ...(options.resume ? { resumeRunId: options.resume } : {}) });
            if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
            else printSummary(summary);
          },
        );
      }, EXIT.failed),
    );
}

interface TrainOptions {
  set: string[];
  resume?: string;
  store?: string;
  name?: string;
  note?: string;
  tag: Record<string, string>;
  json?: boolean;
}

function collectTag(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('expected key=value, e.g. --tag ticket=RAD-42');
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

function printSummary(summary: Awaited<ReturnType<typeof runTrainingPipeline>> | TuneSummary): void {
  const lines = [
    ...('trials' in summary ? summary.trials.map((t) => `trial     ${t.runId} ${JSON.stringify(t.params)} ${t.stoppedEarly ? `(stopped early after ${t.epochs} epoch${t.epochs === 1 ? '' : 's'}) ` : ''}${t.eligible ? '' : '(constraints not met) '}${JSON.stringify(t.validation)}`) : []),
    ...('bestRunId' in summary ? [`best      ${summary.bestRunId} ${JSON.stringify(summary.bestParams)}`] : []),
    `run       ${summary.runId} (${summary.seconds.toFixed(1)} s)`,
    `test      ${Object.entries(summary.metrics.test).map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ')}`,
    `val       ${Object.entries(summary.metrics.val).map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ')}`,
    `bundle    ${summary.bundle}`,
    summary.model ? `model     ${summary.model.name}@${summary.model.version}` : 'model     not registered (registry.register: false)',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
