import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { pipelineConfigSchema } from './schema.js';

interface JsonSchema {
  description?: string;
  default?: unknown;
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** Every property of the input JSON schema, with its dotted path and whether it is required. */
function properties(schema: JsonSchema, path = ''): { path: string; required: boolean; schema: JsonSchema; parent: JsonSchema }[] {
  const found: ReturnType<typeof properties> = [];
  for (const [i, option] of (schema.anyOf ?? schema.oneOf ?? []).entries()) found.push(...properties(option, `${path}<${i}>`));
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const childPath = path === '' ? key : `${path}.${key}`;
    found.push({ path: childPath, required: schema.required?.includes(key) ?? false, schema: child, parent: schema });
    found.push(...properties(child, childPath));
  }
  if (schema.items !== undefined) found.push(...properties(schema.items, `${path}[]`));
  if (typeof schema.additionalProperties === 'object') found.push(...properties(schema.additionalProperties, `${path}{}`));
  return found;
}

describe('pipelineConfigSchema', () => {
  // The JSON schema is what the studio's editor shows; it must document every field.
  const jsonSchema = z.toJSONSchema(pipelineConfigSchema, { io: 'input' }) as JsonSchema;
  const all = properties(jsonSchema);

  it('describes every field', () => {
    expect(all.filter((p) => !p.schema.description).map((p) => p.path)).toEqual([]);
  });

  it('gives every optional field a default, or says in its description what leaving it out means', () => {
    const undocumented = all.filter((p) => !p.required && !('default' in p.schema) && !/default/.test(p.schema.description ?? ''));
    expect(undocumented.map((p) => p.path)).toEqual([]);
  });

  it('requires only the version, the name and the data source (with its own locations)', () => {
    const requiredWithoutDefault = all.filter((p) => p.required && !('default' in p.schema)).map((p) => p.path);
    expect(requiredWithoutDefault.filter((path) => !/^data\.(source|test|unlabelled)<\d>|^features<\d>|^index<\d>|^model<\d>|^tune\.|^input\.(minSize|maxSize)\.|^monitor\.(schedule\[\]|retrain\.selector<\d>)\.|^decision\.(operatingPoint|classes\{\})\./.test(path))).toEqual([
      'version',
      'name',
      'data',
      'data.source',
    ]);
  });

  it('rejects unknown keys in every mapping', () => {
    const objects = [jsonSchema, ...all.map((p) => p.schema)].flatMap((s) => [s, ...(s.anyOf ?? []), ...(s.oneOf ?? [])]);
    expect(objects.filter((s) => s.additionalProperties === false).length).toBeGreaterThan(40);
    const open = objects.filter((s) => s.type === 'object' && s.properties !== undefined && s.additionalProperties !== false);
    expect(open).toEqual([]);
  });
});
