import { LineCounter, parseDocument, type Document } from 'yaml';
import type * as z from 'zod';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { formatPath } from './format-path.js';
import { MAX_CONFIG_CHARS } from './limits.js';
import { issueMessage, unknownKeyMessage } from './issue-message.js';
import { dropOptionsOfReplacedChoice } from './discriminator-overrides.js';
import { parseOverrides, type ConfigOverride } from './overrides.js';
import { pipelineConfigSchema, type PipelineConfig } from './schema.js';
import { knownKeysAt } from './schema-keys.js';
import { locate, pathAtOffset, positionAt, positionOf, type ConfigPath } from './yaml-locate.js';

/**
 * Parses and validates a pipeline YAML. `file` only labels the issues (this module never reads
 * files, so it runs in the browser too). Throws a ConfigError listing every issue, each with its
 * 1-based line:column and dotted path, sorted by position.
 */
export function parsePipelineConfig(text: string, file: string, options: { overrides?: readonly string[] } = {}): PipelineConfig {
  // Parsing and validating take time and memory in proportion to the text: bound it first.
  if (text.length > MAX_CONFIG_CHARS) {
    throw new ConfigError([{ file, line: 1, column: 1, path: '', message: `the config is ${text.length} characters, more than the ${MAX_CONFIG_CHARS} allowed` }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });

  // Schema errors on a document that did not parse would mostly echo the syntax error: stop here.
  if (doc.errors.length > 0) throw new ConfigError(syntaxIssues(doc, file, lineCounter));
  // `--set` values replace the file's before validation, so they are checked like the rest.
  const overrides = parseOverrides(options.overrides ?? []);
  for (const override of overrides) doc.setIn(override.path, doc.createNode(override.value));
  dropOptionsOfReplacedChoice(doc, overrides);

  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // e.g. an alias bomb beyond yaml's maxAliasCount
    throw new ConfigError([{ file, line: 1, column: 1, path: '', message: (error as Error).message }]);
  }

  const result = pipelineConfigSchema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => schemaIssues(issue, value, doc, file, lineCounter));
  throw new ConfigError(sortByPosition(issues.map((issue) => attributeToOverride(issue, overrides))));
}

/** An issue found after validation (against a file the config names), located in the YAML text as the schema's issues are. */
export function locatedConfigIssue(text: string, file: string, path: ConfigPath, message: string): ConfigIssue {
  const lineCounter = new LineCounter();
  const { key, node } = locate(parseDocument(text, { lineCounter }), path);
  return { file, ...positionOf(key ?? node, lineCounter), path: formatPath(path), message };
}

/** An issue inside an overridden value points at the `--set` that put it there, not at the file. */
function attributeToOverride(issue: ConfigIssue, overrides: readonly ConfigOverride[]): ConfigIssue {
  const override = overrides.findLast((o) => {
    const path = formatPath(o.path);
    return issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`);
  });
  return override ? { ...issue, file: `--set ${override.source}`, line: 1, column: override.source.indexOf('=') + 2 } : issue;
}

function syntaxIssues(doc: Document, file: string, lineCounter: LineCounter): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const error of doc.errors) {
    const offset = error.pos[0];
    const { line, column } = positionAt(offset, lineCounter);
    // One mistake often trips several parser rules at the same spot; the first says it best.
    if (issues.some((i) => i.line === line && i.column === column)) continue;
    issues.push({ file, line, column, path: formatPath(pathAtOffset(doc, offset)), message: error.message });
  }
  return issues;
}

function schemaIssues(issue: z.core.$ZodIssue, value: unknown, doc: Document, file: string, lineCounter: LineCounter): ConfigIssue[] {
  // zod reports all unknown keys of a mapping at once; each gets its own issue, at the key itself.
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(pipelineConfigSchema, issue.path, value);
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      const { key: keyNode, node } = locate(doc, path);
      return { file, ...positionOf(keyNode ?? node, lineCounter), path: formatPath(path), message: unknownKeyMessage(key, known) };
    });
  }
  // A union branch that accepted the value's type but failed inside it (a list with a bad item, a
  // range with a typo'd key) explains the problem better than "expected X or Y": report its issues.
  if (issue.code === 'invalid_union' && issue.inclusive !== false) {
    const inner = issue.errors.find((branch) => branch.length > 0 && !branch.some(isTypeMismatch));
    if (inner !== undefined) {
      return inner.flatMap((i) => schemaIssues({ ...i, path: [...issue.path, ...i.path] }, value, doc, file, lineCounter));
    }
  }
  // A missing key is absent from the source: locate() stops at the parent mapping, which is where it belongs.
  const { node } = locate(doc, issue.path);
  return [{ file, ...positionOf(node, lineCounter), path: formatPath(issue.path), message: issueMessage(issue) }];
}

function isTypeMismatch(issue: z.core.$ZodIssue): boolean {
  return issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
}

function sortByPosition(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}
