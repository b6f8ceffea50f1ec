import { parse as parseYamlValue } from 'yaml';
import { ConfigError } from '../errors.js';

/** A `--set a.b.c=value` from the command line: the path and the value parsed as YAML. */
export interface ConfigOverride {
  /** The text as given, to label issues about it. */
  readonly source: string;
  readonly path: readonly (string | number)[];
  readonly value: unknown;
}

/**
 * Parses `a.b=value` overrides. The value is YAML, so `5` is a number, `[128, 64]` a list and
 * `adam` a string; path steps that are integers index lists (`data.splits.0`).
 */
export function parseOverrides(sources: readonly string[]): ConfigOverride[] {
  return sources.map((source) => {
    const at = source.indexOf('=');
    const path = at > 0 ? source.slice(0, at).split('.') : [];
    if (at <= 0 || path.some((step) => !/^[A-Za-z0-9_-]+$/.test(step))) {
      throw new ConfigError([{ file: '--set', line: 1, column: 1, path: '', message: `"${source}" is not of the form section.key=value (e.g. train.epochs=5)` }]);
    }
    let value: unknown;
    try {
      value = parseYamlValue(source.slice(at + 1));
    } catch (error) {
      throw new ConfigError([{ file: `--set ${source}`, line: 1, column: at + 2, path: path.join('.'), message: `the value is not valid YAML: ${(error as Error).message}` }]);
    }
    return { source, path: path.map((step) => (/^\d+$/.test(step) ? Number(step) : step)), value };
  });
}
