import * as z from 'zod';
import type { ConfigPath } from './yaml-locate.js';

// The slice of zod's schema definitions that the walk below reads.
interface SchemaDef {
  type: string;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  options?: z.core.$ZodType[];
  discriminator?: string;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  items?: z.core.$ZodType[];
}

const defOf = (schema: z.core.$ZodType): SchemaDef => schema._zod.def as unknown as SchemaDef;

/**
 * The keys the object schema at `path` accepts, for "unknown key" messages. `value` is the parsed
 * YAML, used to pick the branch of a discriminated union (`features.kind: hog` -> the hog keys).
 */
export function knownKeysAt(schema: z.core.$ZodType, path: ConfigPath, value: unknown): string[] {
  let current: z.core.$ZodType | undefined = unwrap(schema, value);
  let currentValue = value;
  for (const step of path) {
    currentValue = isRecord(currentValue) ? currentValue[String(step)] : undefined;
    current = childOf(current, step);
    if (current === undefined) return [];
    current = unwrap(current, currentValue);
  }
  const shape = defOf(current).shape;
  return shape === undefined ? [] : Object.keys(shape);
}

/**
 * The discriminator of the discriminated union at `path` (`head` at `model`, `kind` at
 * `features`), or undefined when the schema there is no such union. `value` picks the branches on
 * the way, as in `knownKeysAt`.
 */
export function discriminatorAt(schema: z.core.$ZodType, path: ConfigPath, value: unknown): string | undefined {
  let current: z.core.$ZodType = schema;
  let currentValue = value;
  for (const step of path) {
    const child = childOf(unwrap(current, currentValue), step);
    if (child === undefined) return undefined;
    currentValue = isRecord(currentValue) ? currentValue[String(step)] : undefined;
    current = child;
  }
  for (;;) {
    const def = defOf(current);
    if (def.type === 'union') return def.discriminator;
    if (def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in;
    else return undefined;
  }
}

/** Sees through defaults, optionals, transforms and discriminated unions to the schema that checks the value. */
function unwrap(schema: z.core.$ZodType, value: unknown): z.core.$ZodType {
  for (;;) {
    const def = defOf(schema);
    if (def.innerType !== undefined) schema = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) schema = def.in;
    else if (def.type === 'union' && def.discriminator !== undefined && def.options !== undefined) {
      const discriminator = def.discriminator;
      const tag = isRecord(value) ? value[discriminator] : undefined;
      const branch = def.options.find((option) => {
        const tagSchema = defOf(option).shape?.[discriminator];
        return tagSchema !== undefined && z.safeParse(tagSchema, tag).success;
      });
      if (branch === undefined) return schema;
      schema = branch;
    } else if (def.type === 'union' && def.options !== undefined && isRecord(value)) {
      // A plain union holding a mapping (a tune range among value lists): its object branch.
      const branch = def.options.find((option) => defOf(option).type === 'object');
      if (branch === undefined) return schema;
      schema = branch;
    } else return schema;
  }
}

function childOf(schema: z.core.$ZodType, step: PropertyKey): z.core.$ZodType | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return def.shape?.[String(step)];
    case 'array':
      return def.element;
    case 'record':
      return def.valueType;
    case 'tuple':
      return typeof step === 'number' ? def.items?.[step] : undefined;
    default:
      return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
