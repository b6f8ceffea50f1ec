import { CvfError, type PipelineConfig, type PipelineProgress, type TrainingEnvironment } from '@cvf/core';
import { createNodeDevice } from '@cvf/core/node';
import { constants } from 'node:os';
import { EXIT, reportError } from '../output.js';
import { ProgressReporter } from '../progress.js';
import { locateStore } from '../store-location.js';
import { nodeTrainingEnvironment } from './node-training-environment.js';

/**
 * Runs `work` in a training environment on this machine (the store `--store` or the config names,
 * a Device, progress on stderr or as JSON lines), for `cvf train` and `cvf retrain`. Ctrl-C or
 * SIGTERM aborts it: the runs end as killed instead of left running, `interrupted` is reported as
 * INTERRUPTED, and the exit code is a shell's for the signal (128 + its number: 130, 143).
 */
export async function runInterruptibleTraining(
  options: { config: PipelineConfig; configPath: string; store: string | undefined; json: boolean; interrupted: (signal: NodeJS.Signals) => string },
  work: (environment: TrainingEnvironment) => Promise<void>,
): Promise<number> {
  const { config, configPath, json } = options;
  // The config stays as written (its hash too); the store found is passed beside it.
  const store = locateStore({ flag: options.store, configStore: config.tracking.store, use: 'create' });
  const device = await createNodeDevice({ prefer: config.compute.device });
  const reporter = new ProgressReporter({ json });
  const abort = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    stoppedBy = signal;
    abort.abort(new CvfError('INTERRUPTED', options.interrupted(signal)));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const { environment, close } = await nodeTrainingEnvironment({ config, configPath, storeRoot: store.root, device, signal: abort.signal, onProgress: (p: PipelineProgress) => reporter.update(p) });
  try {
    await work(environment);
    return EXIT.ok;
  } catch (error) {
    if (stoppedBy === undefined) throw error;
    // Whatever the abort surfaced as (the reason, or an error wrapping it), say INTERRUPTED.
    reportError(abort.signal.reason, json);
    return 128 + constants.signals[stoppedBy];
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    close();
    device.destroy();
  }
}
