import { expect } from 'vitest';
import type { ExplainResult } from '../commands/explain.js';
import { runCli } from './run-cli.js';

/** `cvf train CONFIG --json`, which must succeed: the bundle's path, from its last line. */
export async function trainBundle(config: string): Promise<string> {
  const trained = await runCli('train', config, '--json');
  expect(trained.exitCode, trained.stdout.slice(-2000) + trained.stderr).toBe(0);
  const lines = trained.stdout.trim().split('\n');
  return (JSON.parse(lines[lines.length - 1]!) as { bundle: string }).bundle;
}

/** `cvf explain BUNDLE FILE --device cpu --json ...args`, which must succeed: its JSON. */
export async function explainJson(bundle: string, file: string, ...args: string[]): Promise<ExplainResult> {
  const result = await runCli('explain', bundle, file, '--device', 'cpu', '--json', ...args);
  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ExplainResult;
}
