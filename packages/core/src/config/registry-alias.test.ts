import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../errors.js';
import { assertAlias } from '../tracking/validate.js';
import { parsePipelineConfig } from './load.js';

const config = (alias: string) => `version: 1
name: demo
data:
  source: { kind: idx, images: a.gz, labels: b.gz }
registry: { register: true, alias: ${JSON.stringify(alias)} }
`;

/** The YAML's verdict on an alias: null when accepted, else the message. */
function yamlVerdict(alias: string): string | null {
  try {
    parsePipelineConfig(config(alias), 'demo.yaml');
    return null;
  } catch (error) {
    return (error as ConfigError).issues[0]!.message;
  }
}

/** The registry's (`cvf models promote --alias`, `setAlias`) verdict. */
function registryVerdict(alias: string): string | null {
  try {
    assertAlias(alias);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('registry.alias and models promote --alias', () => {
  it('accept the same names and refuse the same names with the same message', () => {
    for (const alias of ['staging', 'production', 'canary', 'shadow-eu', 'v2']) {
      expect([alias, yamlVerdict(alias)]).toEqual([alias, null]);
      expect([alias, registryVerdict(alias)]).toEqual([alias, null]);
    }
    for (const alias of ['Production', 'prod!', '2nd', '', 'a'.repeat(33)]) {
      const rule = 'an alias must be a lower-case word such as staging or production (a letter, then up to 31 letters, digits or "-")';
      expect(yamlVerdict(alias), alias).toBe(`${rule}, got ${JSON.stringify(alias)}`);
      expect(registryVerdict(alias)).toBe(`${JSON.stringify(alias)}: ${rule}`);
    }
  });
});
