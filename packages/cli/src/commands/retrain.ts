import { dataSourceSchema, loadBundle, RetrainError, runRetraining, type DataSource, type RetrainDecision } from '@cvf/core';
import { bundleSourceAt, loadPipelineConfigFile } from '@cvf/core/node';
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, runAction } from '../output.js';
import { runInterruptibleTraining } from '../training/interruptible-training.js';
import { printDecision } from './retrain-format.js';

export function registerRetrain(program: Command): void {
  program
    .command('retrain')
    .description("train a challenger on the config's data plus new data, judge it against the champion (NAME@production) on the same held-out set, and promote it only when monitor.retrain.selector selects it")
    .argument('<config>', 'pipeline YAML (its test split is the held-out set; monitor.retrain.selector decides)')
    .requiredOption('--model <name>', 'registered model: its version at the alias (registry.alias, default production) is the champion; the challenger becomes its next version')
    .option('--data-add <folder>', 'a folder of labelled images, one sub-folder per class (as a folder data source), added to the train split; repeatable', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--set <path=value>', 'override a config value (YAML), e.g. --set monitor.retrain.selector.margin=0.02; repeatable', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--store <dir|url>', 'tracking store: a folder or a postgres:// URL (default: $CVF_STORE, else tracking.store of the config, else the nearest .cvf/ here or above, else ./.cvf)')
    .option('--json', 'JSON lines of progress; the last line is the decision')
    .action((configPath: string, options: RetrainOptions) =>
      runAction(Boolean(options.json), async () => {
        const config = await loadPipelineConfigFile(configPath, { overrides: options.set });
        const addedTrainData = options.dataAdd.map(addedFolder);
        // Ctrl-C or SIGTERM ends the runs as killed instead of leaving them running; the alias is not moved.
        return runInterruptibleTraining(
          { config, configPath, store: options.store, json: Boolean(options.json), interrupted: (signal) => `retraining interrupted by ${signal}; the runs are marked killed and the alias is not moved` },
          async (environment) => {
            const decision: RetrainDecision = await runRetraining(
              config,
              // A registered bundle is read from where the registry says, checked against its recorded digest.
              { ...environment, loadRegisteredBundle: async (version) => loadBundle(await bundleSourceAt(version.bundle), { digest: version.bundleDigest }) },
              { model: options.model, addedTrainData },
            );
            if (options.json) process.stdout.write(`${JSON.stringify(decision)}\n`);
            else printDecision(decision);
          },
        );
      }, EXIT.failed),
    );
}

interface RetrainOptions {
  model: string;
  dataAdd: string[];
  set: string[];
  store?: string;
  json?: boolean;
}

/** `--data-add FOLDER`: a folder data source (one sub-folder per class), relative to where cvf runs. */
function addedFolder(path: string): DataSource {
  const root = resolve(path);
  let isFolder = false;
  try {
    isFolder = statSync(root).isDirectory();
  } catch {
    // Missing: said below with the folder named.
  }
  if (!isFolder) throw new RetrainError('RETRAIN_OPTION_INVALID', `--data-add ${path}: ${root} is not a folder; expected a folder holding one sub-folder of images per class`);
  return dataSourceSchema.parse({ kind: 'folder', root });
}
