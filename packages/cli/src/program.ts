import { Command } from 'commander';
import { registerBench } from './commands/bench.js';
import { registerDicom } from './commands/dicom.js';
import { registerDoctor } from './commands/doctor.js';
import { registerModels } from './commands/models.js';
import { registerPredict } from './commands/predict.js';
import { registerRuns } from './commands/runs.js';
import { registerTrain } from './commands/train.js';
import { registerValidate } from './commands/validate.js';
import { CLI_VERSION } from './version.js';

/** The `cvf` command tree. Each command lives in commands/<name>.ts and registers itself here. */
export function createProgram(): Command {
  const program = new Command('cvf')
    .description('CV Factory: computer-vision pipelines on WebGPU and CPU, for medical imaging')
    .version(CLI_VERSION)
    .showHelpAfterError('(run with --help for usage)');
  registerValidate(program);
  registerDoctor(program);
  registerTrain(program);
  registerPredict(program);
  registerRuns(program);
  registerModels(program);
  registerDicom(program);
  registerBench(program);
  return program;
}
