import * as z from 'zod';
import { pipelineConfigSchema } from './schema.js';

// The slice of JSON Schema (as zod writes it for the config's input side) the reference reads.
interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
}

interface Row {
  readonly path: string;
  /** The choice of an enclosing union the setting belongs to, e.g. `kind: hog`. */
  readonly when?: string;
  readonly type: string;
  readonly fallback: string;
  readonly description: string;
}

/** The command that writes docs/config.md, named in the file and in the test that keeps it current. */
export const CONFIG_REFERENCE_COMMAND = 'npx tsx --conditions=source scripts/gen-config-docs.ts';

/**
 * The pipeline YAML reference as Markdown, generated from the zod schema's descriptions and
 * defaults: one section per top-level key, one table row per setting, and one table per choice of
 * a discriminated union (`model.head`, `features.kind`, ...). docs/config.md is this text.
 */
export function configReferenceMarkdown(): string {
  const root = z.toJSONSchema(pipelineConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const lines = [
    '# Pipeline config reference',
    '',
    `<!-- Generated from the zod schema (packages/core/src/config/) by \`${CONFIG_REFERENCE_COMMAND}\`; do not edit by hand. -->`,
    '',
    'A pipeline is one YAML file, validated before anything runs (`cvf validate FILE`). Only `version`, `name` and',
    '`data.source` are required; every other setting has the default shown. Mappings are strict: a misspelt key is an',
    'error that names the valid keys. `cvf train FILE --set path=value` overrides any setting (a `--set` of a choice such',
    'as `model.head` drops the options of the replaced choice).',
    '',
  ];
  for (const [key, schema] of Object.entries(root.properties ?? {})) {
    lines.push(`## \`${key}\``, '', `${capitalized(schema.description ?? '')}${(root.required ?? []).includes(key) ? ' (required)' : ''}.`, '');
    const choices = schema.oneOf ?? (schema.anyOf?.every((option) => option.type === 'object') ? schema.anyOf : undefined);
    if (choices) lines.push(...choiceTables(key, choices));
    else if (schema.type === 'object' && schema.properties) lines.push(...table(rowsOf(key, schema)));
    else lines.push(...table([row(key, schema, (root.required ?? []).includes(key))]));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** One table per branch of a discriminated union, titled by its discriminator value. */
function choiceTables(path: string, choices: readonly JsonSchema[]): string[] {
  const lines: string[] = [];
  for (const choice of choices) {
    const tag = Object.entries(choice.properties ?? {}).find(([, p]) => p.const !== undefined);
    lines.push(tag ? `### \`${path}.${tag[0]}: ${String(tag[1].const)}\`` : `### \`${path}\``, '');
    if (tag?.[1].description) lines.push(`${capitalized(tag[1].description)}.`, '');
    const rows = rowsOf(path, choice).filter((r) => !tag || r.path !== `${path}.${tag[0]}`);
    lines.push(...(rows.length > 0 ? table(rows) : ['No other settings.', '']));
  }
  return lines;
}

/** A row for every leaf under `schema`; mappings with their own keys are expanded, lists and values are leaves. */
function rowsOf(path: string, schema: JsonSchema): Row[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => {
    const childPath = `${path}.${key}`;
    if (child.type === 'object' && child.properties && Object.keys(child.properties).length > 0) return [row(childPath, child, required.has(key), true), ...rowsOf(childPath, child)];
    const branches = child.oneOf ?? child.anyOf;
    if (branches && branches.every((b) => b.type === 'object' && b.properties)) return [row(childPath, child, required.has(key), true), ...branchRows(childPath, branches)];
    return [row(childPath, child, required.has(key))];
  });
}

/** The rows of a union nested in a section: its tag with every choice, then each choice's settings marked with it. */
function branchRows(path: string, branches: readonly JsonSchema[]): Row[] {
  const tagOf = (b: JsonSchema) => Object.entries(b.properties ?? {}).find(([, p]) => p.const !== undefined);
  const first = tagOf(branches[0]!);
  if (!first) return branches.flatMap((b) => rowsOf(path, b));
  const tag = first[0];
  const choices = branches.map((b) => String(tagOf(b)?.[1].const));
  const rows: Row[] = [
    { path: `${path}.${tag}`, type: choices.map((c) => `\`${JSON.stringify(c)}\``).join(' \\| '), fallback: 'required', description: branches.map((b, i) => `${choices[i]}: ${tagOf(b)?.[1].description ?? ''}`).join('; ') },
  ];
  branches.forEach((b, i) => rows.push(...rowsOf(path, b).filter((r) => r.path !== `${path}.${tag}`).map((r) => ({ ...r, when: r.when ?? `${tag}: ${choices[i]}` }))));
  return rows;
}

function row(path: string, schema: JsonSchema, required: boolean, mapping = false): Row {
  return {
    path,
    type: mapping ? 'mapping' : typeOf(schema),
    fallback: required && schema.default === undefined ? 'required' : schema.default === undefined ? '' : `\`${JSON.stringify(schema.default)}\``,
    description: schema.description ?? '',
  };
}

/** A short type: `integer ≥ 1`, `"a" \| "b"`, `list of number`, `mapping of string`. */
function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return options.map(typeOf).join(' \\| ');
  if (schema.type === 'array') return `list of ${schema.items ? typeOf(schema.items) : 'values'}`;
  if (schema.type === 'object') return typeof schema.additionalProperties === 'object' ? `mapping of ${typeOf(schema.additionalProperties)}` : 'mapping';
  if (Array.isArray(schema.type)) return schema.type.join(' \\| ');
  const bounds = [
    schema.minimum !== undefined && Math.abs(schema.minimum) < Number.MAX_SAFE_INTEGER ? `≥ ${schema.minimum}` : '',
    schema.exclusiveMinimum !== undefined ? `> ${schema.exclusiveMinimum}` : '',
    schema.maximum !== undefined && Math.abs(schema.maximum) < Number.MAX_SAFE_INTEGER ? `≤ ${schema.maximum}` : '',
    schema.exclusiveMaximum !== undefined ? `< ${schema.exclusiveMaximum}` : '',
  ].filter(Boolean);
  return [schema.type ?? 'any', ...bounds].join(' ');
}

function table(rows: readonly Row[]): string[] {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return ['| setting | type | default | description |', '| --- | --- | --- | --- |', ...rows.map((r) => `| \`${r.path}\`${r.when ? ` (${r.when})` : ''} | ${r.type} | ${r.fallback} | ${cell(r.description)} |`), ''];
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
