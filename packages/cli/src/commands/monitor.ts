import type { Command } from 'commander';

/**
 * `cvf monitor ...`: watching a deployed model. Each subcommand lives in commands/monitor-<name>.ts
 * and is registered here (drift tests, trigger events, fed-back labels).
 */
export function registerMonitor(program: Command): void {
  program.command('monitor').description('Monitor a deployed model: drift tests, trigger events, fed-back labels');
}
