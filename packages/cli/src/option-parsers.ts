import { InvalidArgumentError } from 'commander';

/**
 * Parses an option value that counts something (`--similar 5`): digits only, at least 1. Commander
 * reports the refusal as `option '--similar <k>' argument '-1' is invalid. expected ...`.
 */
export function positiveIntegerOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer (1, 2, 3, ...)');
  return n;
}
