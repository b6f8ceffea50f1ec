// What the config tests assert on: the issues parsePipelineConfig reports for a YAML snippet.
import { ConfigError, type ConfigIssue } from '../../errors.js';
import { parsePipelineConfig } from '../load.js';

/** The file name the config tests parse their snippets under (it appears in every issue). */
export const CONFIG_FILE = 'pipeline.yaml';

/** The issues parsePipelineConfig reports for `text`, or a failure when it accepts it. */
export function issuesOf(text: string): ConfigIssue[] {
  try {
    parsePipelineConfig(text, CONFIG_FILE);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

/** One expected issue in CONFIG_FILE. */
export const issue = (line: number, column: number, path: string, message: string): ConfigIssue => ({ file: CONFIG_FILE, line, column, path, message });
