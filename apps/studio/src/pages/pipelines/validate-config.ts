import { ConfigError, parsePipelineConfig, type ConfigIssue } from '@cvf/core';

/**
 * Validates a pipeline YAML with the CLI's own validator (`parsePipelineConfig`, as `cvf validate`
 * runs it), here in the browser. Returns every issue with its line and column; [] when valid.
 */
export function validateConfigText(text: string, file: string): readonly ConfigIssue[] {
  try {
    parsePipelineConfig(text, file);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    // Anything else is a defect of the validator, still shown where the user looks.
    return [{ file, line: 1, column: 1, path: '', message: error instanceof Error ? error.message : String(error) }];
  }
}

/** The line under the editor: `line N, col M: path: message`. */
export function formatIssue(issue: ConfigIssue): string {
  return `line ${issue.line}, col ${issue.column}: ${issue.path || '(root)'}: ${issue.message}`;
}
