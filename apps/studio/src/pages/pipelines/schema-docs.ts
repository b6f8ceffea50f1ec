import * as z from 'zod';

/**
 * Documentation of one place in the pipeline schema, read from the zod schema itself (its
 * `.describe()` texts, defaults, enums and literals), so the editor's completion and hover say
 * exactly what the validator accepts.
 */
export interface SchemaDoc {
  /** What the value is, in words: "number", "integer", "one of sgd | adam | adamw", "mapping". */
  readonly type: string;
  readonly description: string | undefined;
  /** The default as YAML would show it, when the field has one. */
  readonly defaultText: string | undefined;
  readonly required: boolean;
  /** Keys of the mapping at this place (for a discriminated union: of the branch the value picks). */
  readonly keys: readonly string[];
  /** The literal values this place accepts (enums, literals, booleans). */
  readonly values: readonly string[];
}

// The slice of zod's definitions that the walk reads.
interface Def {
  type: string;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  options?: z.core.$ZodType[];
  discriminator?: string;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  items?: z.core.$ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  defaultValue?: unknown;
  format?: string;
}

const defOf = (schema: z.core.$ZodType): Def => schema._zod.def as unknown as Def;
const descriptionOf = (schema: z.core.$ZodType): string | undefined => z.globalRegistry.get(schema)?.description;

export type DocPath = readonly (string | number)[];

/**
 * The documentation of the schema place at `path` (keys and list indices). `value` is the parsed
 * YAML so far, used to choose a discriminated union's branch (`features.kind: hog` → the hog keys).
 * Undefined when the path leaves the schema (an unknown key).
 */
export function docAt(root: z.core.$ZodType, path: DocPath, value: unknown): SchemaDoc | undefined {
  let schema: z.core.$ZodType | undefined = root;
  let current = value;
  let notes = collect(root, current);
  for (const step of path) {
    current = childValue(current, step);
    schema = childOf(notes.core, step);
    if (schema === undefined) return undefined;
    notes = collect(schema, current);
  }
  return describe(notes);
}

interface Collected {
  /** The schema that checks the value, with every wrapper seen through. */
  core: z.core.$ZodType;
  description: string | undefined;
  defaultValue: unknown;
  hasDefault: boolean;
  optional: boolean;
}

/** Sees through defaults, optionals, pipes and the chosen union branch, keeping the first description and default met. */
function collect(schema: z.core.$ZodType, value: unknown): Collected {
  const found: Collected = { core: schema, description: undefined, defaultValue: undefined, hasDefault: false, optional: false };
  let current = schema;
  for (;;) {
    found.description ??= descriptionOf(current);
    const def = defOf(current);
    if (def.type === 'default' && !found.hasDefault) {
      found.hasDefault = true;
      found.defaultValue = def.defaultValue;
    }
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') found.optional = true;
    if (def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in;
    else if (def.type === 'union' && def.discriminator !== undefined && def.options !== undefined) {
      const tag = isRecord(value) ? value[def.discriminator] : undefined;
      const branch = def.options.find((option) => {
        const tagSchema = defOf(option).shape?.[def.discriminator!];
        return tagSchema !== undefined && z.safeParse(tagSchema, tag).success;
      });
      if (branch === undefined) break;
      current = branch;
    } else if (def.type === 'union' && def.options !== undefined && isRecord(value)) {
      const branch = def.options.find((option) => defOf(option).type === 'object');
      if (branch === undefined) break;
      current = branch;
    } else break;
  }
  found.core = current;
  return found;
}

function describe(notes: Collected): SchemaDoc {
  const def = defOf(notes.core);
  return {
    type: typeOf(notes.core),
    description: notes.description,
    defaultText: notes.hasDefault ? yamlText(notes.defaultValue) : undefined,
    required: !notes.optional,
    keys: def.type === 'object' ? Object.keys(def.shape ?? {}) : discriminatedKeys(def),
    values: valuesOf(notes.core),
  };
}

/** A discriminated union whose branch is not chosen yet offers its discriminator. */
function discriminatedKeys(def: Def): string[] {
  return def.type === 'union' && def.discriminator !== undefined ? [def.discriminator] : [];
}

function valuesOf(schema: z.core.$ZodType): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'enum':
      return Object.values(def.entries ?? {}).map(String);
    case 'literal':
      return (def.values ?? []).map(String);
    case 'boolean':
      return ['true', 'false'];
    case 'union':
      if (def.discriminator !== undefined) return (def.options ?? []).flatMap((option) => valuesOf(defOf(option).shape![def.discriminator!]!));
      return (def.options ?? []).flatMap((option) => valuesOf(collect(option, undefined).core));
    default:
      return [];
  }
}

function typeOf(schema: z.core.$ZodType): string {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return 'mapping';
    case 'array':
      return `list of ${typeOf(collect(def.element!, undefined).core)}`;
    case 'tuple':
      return `list [${(def.items ?? []).map((item) => typeOf(collect(item, undefined).core)).join(', ')}]`;
    case 'record':
      return 'mapping of names to values';
    case 'enum':
    case 'literal':
      return `one of ${valuesOf(schema).join(' | ')}`;
    case 'number':
      return def.format?.includes('int') ? 'integer' : 'number';
    case 'union': {
      if (def.discriminator !== undefined) return `mapping chosen by ${def.discriminator}: ${valuesOf(schema).join(' | ')}`;
      return (def.options ?? []).map((option) => typeOf(collect(option, undefined).core)).join(' or ');
    }
    default:
      return def.type;
  }
}

function childOf(schema: z.core.$ZodType, step: string | number): z.core.$ZodType | undefined {
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
    case 'union':
      // A discriminated union with no branch chosen yet: its discriminator takes any branch's tag.
      if (def.discriminator === undefined || String(step) !== def.discriminator) return undefined;
      return z.enum(valuesOf(schema) as [string, ...string[]]);
    default:
      return undefined;
  }
}

function childValue(value: unknown, step: string | number): unknown {
  if (Array.isArray(value) && typeof step === 'number') return value[step];
  return isRecord(value) ? value[String(step)] : undefined;
}

/** A default as it would be written in the YAML (flow style: `[0.9, 0.999]`, `{}`). */
function yamlText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value)?.replace(/"([^"]+)":/g, '$1: ').replace(/,/g, ', ') ?? String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
