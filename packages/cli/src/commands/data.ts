import type { Command } from 'commander';
import { registerDataMakeDemo } from './data-make-demo.js';

/** `cvf data ...`: datasets to try the pipelines with. */
export function registerData(program: Command): void {
  const data = program.command('data').description('datasets: make a synthetic demo set to try a pipeline');
  registerDataMakeDemo(data);
}
