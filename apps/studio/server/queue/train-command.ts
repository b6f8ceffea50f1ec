/**
 * How the studio starts `cvf train`: the program and the arguments before `train` — the CLI
 * passes its own (node, its execArgv, its entry script), so a child runs the same cvf.
 */
export interface TrainCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** The argv of one queued run: the config, JSON progress, the user's overrides, then the studio's store and job tag, which win. */
export function trainArguments(base: TrainCommand, options: { config: string; overrides: readonly string[]; store: string; jobId: string }): string[] {
  return [
    ...base.args,
    'train',
    options.config,
    '--json',
    ...options.overrides.flatMap((override) => ['--set', override]),
    // JSON strings are YAML: the path survives spaces and colons.
    '--set',
    `tracking.store=${JSON.stringify(options.store)}`,
    '--set',
    `tracking.tags.studioJob=${JSON.stringify(options.jobId)}`,
  ];
}
