import { describe, expect, it } from 'vitest';
import { createProgram } from '../program.js';
import { runCli } from '../testing/run-cli.js';

/** Parses `cvf ...args` with commander's exits turned into throws and its error output captured. */
async function parse(...args: string[]): Promise<{ error: unknown; stderr: string }> {
  const program = createProgram();
  let stderr = '';
  for (const command of [program, ...program.commands]) command.exitOverride().configureOutput({ writeErr: (s) => (stderr += s) });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { error: undefined, stderr };
  } catch (error) {
    return { error, stderr };
  }
}

// Options are parsed before the action runs, so no bundle is needed to see them refused.
describe('cvf predict options', () => {
  it.each(['-1', '2.5', 'abc', ''])('refuses --similar %j as not 0 or a positive integer', async (k) => {
    const { error, stderr } = await parse('predict', 'no-such-bundle', 'image.png', '--similar', k);
    expect(error).toMatchObject({ code: 'commander.invalidArgument', exitCode: 1 });
    expect(stderr).toMatch(/option '--similar <k>' argument .* is invalid\. expected 0 or a positive integer/);
  });

  it.each(['-1', '1.5', 'two'])('refuses --threads %j as not 0 or a positive integer', async (threads) => {
    const { error, stderr } = await parse('predict', 'no-such-bundle', 'image.png', '--threads', threads);
    expect(error).toMatchObject({ code: 'commander.invalidArgument', exitCode: 1 });
    expect(stderr).toMatch(/option '--threads <n>' argument .* is invalid\. expected 0 or a positive integer/);
  });

  it('with --json, a usage error is a coded JSON error on stdout, as every other error is', async () => {
    const { exitCode, stdout } = await runCli('predict', 'no-such-bundle', 'image.png', '--similar', '-1', '--json');
    expect(exitCode).toBe(1);
    expect(JSON.parse(stdout)).toEqual({ error: { code: 'USAGE_INVALID', message: expect.stringContaining("option '--similar <k>' argument '-1' is invalid") } });
  });
});
