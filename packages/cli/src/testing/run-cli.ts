import { Command, CommanderError } from 'commander';
import { vi } from 'vitest';
import { createProgram } from '../program.js';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `cvf ...args` in-process on the real command tree, capturing output and the exit code. */
export async function runCli(...args: string[]): Promise<CliResult> {
  const program = createProgram(args);
  // Commander's exits (usage errors, --help) become throws here, so a test sees their exit code.
  const all = (command: Command): Command[] => [command, ...command.commands.flatMap(all)];
  for (const command of all(program)) command.exitOverride();
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode !== 0) process.exitCode = error.exitCode;
  } finally {
    vi.restoreAllMocks();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { exitCode, stdout, stderr };
}
