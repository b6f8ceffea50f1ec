import { createProgram } from '@cvf/cli';
import type { Command, Option } from 'commander';

/** What a `cvf …` command line of a manifest asks of the CLI: the command path, and each flag with its value. */
export interface CliInvocation {
  readonly path: readonly string[];
  readonly options: ReadonlyMap<string, string | true>;
  readonly positionals: readonly string[];
}

/** Flags commander answers itself on every command. */
const BUILT_IN = new Set(['--help', '-h']);

/**
 * Checks `args` (what follows `cvf`) against the real command tree of @cvf/cli, as commander would
 * parse it: every subcommand exists, every flag is an option of its command (or a global one),
 * flags that take a value get one from the option's choices, and the positional arguments fit the
 * command's. Returns the problems (empty when the command line is valid) and what it parsed.
 */
export function checkCliInvocation(args: readonly string[]): { problems: string[]; invocation: CliInvocation } {
  const program = createProgram([...args]);
  const problems: string[] = [];
  let command: Command = program;
  const path: string[] = [];
  let i = 0;
  // Subcommands come first: descend while the next word names one.
  while (i < args.length && !args[i]!.startsWith('-')) {
    const next = command.commands.find((c) => c.name() === args[i] || c.aliases().includes(args[i]!));
    if (!next) break;
    command = next;
    path.push(next.name());
    i++;
  }
  const where = `cvf ${path.join(' ')}`.trim();
  if (command === program && !args.some((a) => a === '--version' || BUILT_IN.has(a))) problems.push(`"${args[0] ?? ''}" is not a cvf command (${program.commands.map((c) => c.name()).join(', ')})`);
  if (command.commands.length > 0 && command !== program && !args.slice(i).some((a) => BUILT_IN.has(a))) {
    problems.push(`${where} needs a subcommand (${command.commands.map((c) => c.name()).join(', ')}), got ${JSON.stringify(args[i] ?? null)}`);
  }
  const known: Option[] = [...command.options, ...program.options];
  const options = new Map<string, string | true>();
  const positionals: string[] = [];
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (BUILT_IN.has(arg) || (command === program && arg === '--version')) continue;
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const option = known.find((o) => o.long === flag || o.short === flag || (o.negate && o.long === flag));
    if (!option) {
      problems.push(`${where}: no option ${flag} (it has ${command.options.map((o) => o.long).join(', ')})`);
      continue;
    }
    if (!option.required && !option.optional) {
      options.set(flag, true);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      problems.push(`${where}: ${flag} needs a value`);
      continue;
    }
    if (option.argChoices && !option.argChoices.includes(value)) problems.push(`${where}: ${flag} ${value} is not one of ${option.argChoices.join(', ')}`);
    options.set(flag, value);
  }
  const declared = command.registeredArguments;
  const variadic = declared.some((a) => a.variadic);
  const required = declared.filter((a) => a.required).length;
  if (positionals.length < required || (!variadic && positionals.length > declared.length)) {
    problems.push(`${where} takes ${declared.map((a) => a.name() + (a.variadic ? '...' : '')).join(' ') || 'no arguments'}, given ${JSON.stringify(positionals)}`);
  }
  return { problems, invocation: { path, options, positionals } };
}
