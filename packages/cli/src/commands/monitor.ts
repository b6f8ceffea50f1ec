import type { Command } from 'commander';
import { registerMonitorDrift } from './monitor-drift.js';
import { registerMonitorEvents } from './monitor-events.js';
import { registerMonitorFeedback } from './monitor-feedback.js';

/**
 * `cvf monitor ...`: watching a deployed model. Each subcommand lives in commands/monitor-<name>.ts
 * and is registered here (drift tests, trigger events, fed-back labels).
 */
export function registerMonitor(program: Command): void {
  const monitor = program.command('monitor').description('monitor a deployed model: drift tests, trigger events, fed-back labels');
  registerMonitorDrift(monitor);
  registerMonitorEvents(monitor);
  registerMonitorFeedback(monitor);
}
