/**
 * How the studio starts `cvf train`: the program and the arguments before `train` — the CLI
 * passes its own (node, its execArgv, its entry script), so a child runs the same cvf.
 */
export interface TrainCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** The argv of one queued run: the config, JSON progress, the studio's store (--store beats the config's), the user's overrides, and the job tag (outside the config, so its hash is the terminal's). */
export function trainArguments(base: TrainCommand, options: { config: string; overrides: readonly string[]; store: string; jobId: string }): string[] {
  return [
    ...base.args,
    'train',
    options.config,
    '--json',
    '--store',
    options.store,
    ...options.overrides.flatMap((override) => ['--set', override]),
    // The tag finds the job's run in the store.
    '--tag',
    `studioJob=${options.jobId}`,
  ];
}
