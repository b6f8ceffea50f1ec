import type * as z from 'zod';
import { BundleError } from '../../errors.js';

export function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value)}\n`);
}

/** A JSON file of a bundle, checked against its schema: a damaged one is BUNDLE_INVALID naming the file. */
export function decodeJson<T extends z.ZodType>(bytes: Uint8Array, schema: T, file: string): z.output<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new BundleError('BUNDLE_INVALID', `bundle file "${file}" is not JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new BundleError('BUNDLE_INVALID', `bundle file "${file}" does not hold what its stage expects: ${problems}`);
  }
  return parsed.data;
}
