import type * as z from 'zod';
import { MAX_ECHO_CHARS, quoteShort } from './limits.js';

/**
 * Turns a zod issue into a message that names the bad value and what would be valid, e.g.
 * `expected one of sgd|adam|adamw, got "adma" (did you mean "adam"?)`. The issue must come from a
 * parse with `reportInput: true`, so the offending value is known.
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  const input: unknown = issue.input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `missing required key "${String(issue.path.at(-1))}"`;
      return `expected ${typeName(issue.expected)}, got ${describeValue(input)}`;
    case 'invalid_value':
      return `expected ${oneOf(issue.values)}, got ${describeValue(input)}${didYouMean(input, issue.values)}`;
    case 'invalid_union':
      return unionMessage(issue);
    case 'too_small':
      return boundMessage(issue.origin, issue.inclusive ? '>=' : '>', issue.minimum, input, 'at least');
    case 'too_big':
      return boundMessage(issue.origin, issue.inclusive ? '<=' : '<', issue.maximum, input, 'at most');
    case 'invalid_format':
      if (issue.format === 'url') return `expected an http(s) URL, got ${describeValue(input)}`;
      return `${issue.message}, got ${describeValue(input)}`;
    default:
      return issue.message;
  }
}

export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const valid = known.length > 0 ? `; valid keys here: ${known.join(', ')}` : '';
  return `unknown key ${quoteShort(key)}${didYouMean(key, known)}${valid}`;
}

function unionMessage(issue: z.core.$ZodIssueInvalidUnion): string {
  if (issue.inclusive === false) return issue.message; // exclusive unions (z.xor): not used by the schema
  const input: unknown = issue.input;
  // A discriminated union whose tag (`kind`, `head`) is missing or unknown.
  if (issue.discriminator !== undefined && issue.options !== undefined) {
    const tag = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[issue.discriminator] : undefined;
    if (tag === undefined) return `missing required key "${issue.discriminator}" (one of ${issue.options.map(String).join('|')})`;
    return `expected one of ${issue.options.map(String).join('|')}, got ${describeValue(tag)}${didYouMean(tag, issue.options)}`;
  }
  // A plain union (e.g. `balanced` or a list of weights): say what each branch expected.
  const choices: unknown[] = [];
  const alternatives = issue.errors.map((branch) => {
    const first = branch[0];
    if (first?.code === 'invalid_value') {
      choices.push(...first.values);
      return oneOf(first.values);
    }
    if (first?.code === 'invalid_type') return typeName(first.expected);
    return 'another value';
  });
  return `expected ${joinAlternatives(alternatives)}, got ${describeValue(input)}${didYouMean(input, choices)}`;
}

/** "a, b or c" */
function joinAlternatives(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function boundMessage(origin: string, op: string, bound: number | bigint, input: unknown, word: string): string {
  if (origin === 'array' || origin === 'set') {
    const count = Array.isArray(input) ? input.length : '?';
    return `expected ${word} ${bound} item${Number(bound) === 1 ? '' : 's'}, got ${count}`;
  }
  if (origin === 'string') {
    if (word === 'at least' && Number(bound) === 1) return 'must not be empty';
    return `expected ${word} ${bound} character${Number(bound) === 1 ? '' : 's'}, got ${describeValue(input)}`;
  }
  return `expected a number ${op} ${bound}, got ${describeValue(input)}`;
}

function oneOf(values: readonly unknown[]): string {
  if (values.length === 1) return String(values[0]);
  return `one of ${values.map(String).join('|')}`;
}

const typeNames: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true/false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  tuple: 'a list',
};

function typeName(expected: string): string {
  return typeNames[expected] ?? expected;
}

/** How a YAML value reads in a message: strings quoted, collections by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return quoteShort(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** ` (did you mean "adam"?)` when a close option exists: most config mistakes are typos. */
function didYouMean(value: unknown, options: readonly unknown[]): string {
  // The distance costs length × length: a value far longer than any option is no typo of one.
  if (typeof value !== 'string' || value.length > MAX_ECHO_CHARS) return '';
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(value.length / 3)) + 1;
  for (const option of options) {
    if (typeof option !== 'string') continue;
    const distance = editDistance(value.toLowerCase(), option.toLowerCase());
    if (distance < bestDistance) {
      best = option;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** Optimal string alignment distance: Levenshtein plus transposition ("adma" -> "adam" is 1). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}
