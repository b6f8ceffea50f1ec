/**
 * Bounds on a pipeline config, so that a huge or hostile file is refused quickly with a clear
 * error instead of taking minutes and gigabytes to parse and validate. Real configs are a few
 * kilobytes; the limits are far above any of them.
 */

/** A config file larger than this is refused before it is read (FILE_TOO_LARGE). */
export const MAX_CONFIG_BYTES = 1 << 20;

/** A config text longer than this is refused before it is parsed (for callers that hold text, not a file). */
export const MAX_CONFIG_CHARS = 1 << 20;

/**
 * More class names than this is a mistake (a label column pasted as classes), not a classifier
 * head; 10,000 names of a dozen characters also fill about a tenth of MAX_CONFIG_BYTES.
 */
export const MAX_CLASSES = 10_000;

/** An MLP head deeper than this is a typo'd list, not a design: the head sits on fixed features. */
export const MAX_HIDDEN_LAYERS = 32;

/** Values quoted in error messages are cut to this many characters, with their length. */
export const MAX_ECHO_CHARS = 80;

/** `"abc…" (50000 characters)` for a long string, the JSON-quoted string otherwise. */
export function quoteShort(value: string): string {
  if (value.length <= MAX_ECHO_CHARS) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, MAX_ECHO_CHARS)).slice(0, -1)}…" (${value.length} characters)`;
}
