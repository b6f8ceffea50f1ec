import { CvfError } from '@cvf/core';
import { Command } from 'commander';
import { registerAudit } from './commands/audit.js';
import { registerBatch } from './commands/batch.js';
import { registerBench } from './commands/bench.js';
import { registerConsume } from './commands/consume.js';
import { registerData } from './commands/data.js';
import { registerDicom } from './commands/dicom.js';
import { registerDoctor } from './commands/doctor.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerExplain } from './commands/explain.js';
import { registerModels } from './commands/models.js';
import { registerMonitor } from './commands/monitor.js';
import { registerPredict } from './commands/predict.js';
import { registerRetrain } from './commands/retrain.js';
import { registerRuns } from './commands/runs.js';
import { registerScheduler } from './commands/scheduler.js';
import { registerServe } from './commands/serve.js';
import { registerStore } from './commands/store.js';
import { registerStudio } from './commands/studio.js';
import { registerTrain } from './commands/train.js';
import { registerValidate } from './commands/validate.js';
import { registerWorker } from './commands/worker.js';
import { reportError } from './output.js';
import { CLI_VERSION } from './version.js';

/**
 * The `cvf` command tree. Each command lives in commands/<name>.ts and registers itself here.
 * `args` (the command line after `cvf`) decides how usage errors print: with `--json` anywhere,
 * as `{"error":{"code":"USAGE_INVALID","message"}}` on stdout, like every other error.
 */
export function createProgram(args: readonly string[] = process.argv.slice(2)): Command {
  const json = args.includes('--json');
  const program = new Command('cvf')
    .description('CV Factory: computer-vision pipelines on WebGPU and CPU, for medical imaging')
    .version(CLI_VERSION)
    // Read by main.ts before parsing: without it, Dawn's native warnings are filtered out of stderr.
    .option('--verbose', "show the native diagnostics of Dawn (WebGPU) and Vulkan on stderr")
    .configureOutput({ outputError: (message, write) => (json ? reportError(new CvfError('USAGE_INVALID', message.replace(/^error: /, '').trim()), true) : write(message)) })
    .showHelpAfterError(json ? false : '(run with --help for usage)');
  registerValidate(program);
  registerDoctor(program);
  registerTrain(program);
  registerRetrain(program);
  registerPredict(program);
  registerExplain(program);
  registerEvaluate(program);
  registerRuns(program);
  registerModels(program);
  registerServe(program);
  registerDicom(program);
  registerData(program);
  registerBench(program);
  registerStudio(program);
  registerStore(program);
  registerMonitor(program);
  registerScheduler(program);
  registerAudit(program);
  registerConsume(program);
  registerBatch(program);
  registerWorker(program);
  return program;
}
