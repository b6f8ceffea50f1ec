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
