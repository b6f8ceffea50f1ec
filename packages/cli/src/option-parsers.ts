import { InvalidArgumentError } from 'commander';

/**
 * Parses an option value that counts something and may be zero (`--similar 0` turns similar
 * cases off): digits only. Commander reports the refusal as
 * `option '--similar <k>' argument '-1' is invalid. expected ...`.
 */
export function nonNegativeIntegerOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected 0 or a positive integer (0, 1, 2, ...)');
  return n;
}

/** Parses an option value that counts something and must be at least one (`--shards 4`): digits only, not 0. */
export function positiveIntegerOption(value: string): number {
  const n = nonNegativeIntegerOption(value);
  if (n === 0) throw new InvalidArgumentError('expected a positive integer (1, 2, ...)');
  return n;
}
