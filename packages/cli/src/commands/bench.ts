import type { Command } from 'commander';
import { registerBenchPca } from './bench-pca.js';
import { registerBenchRetrieval } from './bench-retrieval.js';

/** `cvf bench ...`: the measurements behind bench/ (each bench/ script also runs the peer library). */
export function registerBench(program: Command): void {
  const bench = program.command('bench').description('measure CV Factory components on your data');
  registerBenchPca(bench);
  registerBenchRetrieval(bench);
}
