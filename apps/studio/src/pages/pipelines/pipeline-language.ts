import { autocompletion, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { yaml } from '@codemirror/lang-yaml';
import { linter, type Diagnostic } from '@codemirror/lint';
import type { Extension, Text } from '@codemirror/state';
import { hoverTooltip, type Tooltip } from '@codemirror/view';
import { pipelineConfigSchema, type ConfigIssue } from '@cvf/core';
import { parseDocument } from 'yaml';
import { docAt, type SchemaDoc } from './schema-docs.js';
import { formatIssue, validateConfigText } from './validate-config.js';
import { cursorContext } from './yaml-context.js';
import { keyAt } from './yaml-key-at.js';

/**
 * Everything the pipeline editor knows about the YAML it holds: syntax, completion and hover
 * documentation from the zod schema, and diagnostics from the CLI's validator (run as you type;
 * `onIssues` receives them for the list under the editor).
 */
export function pipelineLanguage(file: () => string, onIssues: (issues: readonly ConfigIssue[]) => void): Extension {
  return [
    yaml(),
    autocompletion({ override: [completeFromSchema] }),
    hoverTooltip(hoverFromSchema),
    linter(
      (view) => {
        const issues = validateConfigText(view.state.doc.toString(), file());
        onIssues(issues);
        return issues.map((issue) => toDiagnostic(view.state.doc, issue));
      },
      { delay: 250 },
    ),
  ];
}

function toDiagnostic(doc: Text, issue: ConfigIssue): Diagnostic {
  const line = doc.line(Math.min(Math.max(issue.line, 1), doc.lines));
  const from = Math.min(line.from + Math.max(issue.column - 1, 0), line.to);
  // Underline the token at the position (to the end of the word), at least one character.
  const rest = doc.sliceString(from, line.to);
  const length = Math.max(1, rest.match(/^[^\s:,\]}]*/)![0].length);
  return { from, to: Math.min(from + length, doc.length), severity: 'error', message: formatIssue(issue) };
}

/** The parsed YAML so far, or undefined when it does not parse yet (only unions' branches depend on it). */
function valueOf(text: string): unknown {
  try {
    return parseDocument(text, { prettyErrors: false }).toJS();
  } catch {
    return undefined;
  }
}

function completeFromSchema(context: CompletionContext): CompletionResult | null {
  const text = context.state.doc.toString();
  const cursor = cursorContext(text, context.pos);
  if (cursor.word === '' && !context.explicit && cursor.kind === 'key') return null;
  const value = valueOf(text);
  if (cursor.kind === 'value') {
    const doc = docAt(pipelineConfigSchema, [...cursor.parents, cursor.key!], value);
    if (!doc || doc.values.length === 0) return null;
    return { from: cursor.wordFrom, options: doc.values.map((v) => ({ label: v, type: 'enum', detail: v === doc.defaultText ? 'default' : undefined })) };
  }
  const parent = docAt(pipelineConfigSchema, cursor.parents, value);
  if (!parent || parent.keys.length === 0) return null;
  const options: Completion[] = parent.keys.map((key) => {
    const doc = docAt(pipelineConfigSchema, [...cursor.parents, key], value);
    return {
      label: key,
      type: 'property',
      detail: doc?.defaultText !== undefined ? `= ${doc.defaultText}` : doc?.required ? 'required' : undefined,
      info: doc ? () => docElement(key, doc) : undefined,
      apply: `${key}: `,
    };
  });
  return { from: cursor.wordFrom, options, validFor: /^[A-Za-z0-9_.-]*$/ };
}

function hoverFromSchema(view: { state: { doc: Text } }, pos: number): Tooltip | null {
  const text = view.state.doc.toString();
  const document = parseDocument(text, { prettyErrors: false });
  const key = keyAt(document, pos);
  if (!key) return null;
  const doc = docAt(pipelineConfigSchema, key.path, valueOf(text));
  if (!doc) return null;
  return { pos: key.from, end: key.to, above: true, create: () => ({ dom: docElement(key.path.join('.'), doc) }) };
}

/** The documentation box of completion and hover: name, type, default, description. */
function docElement(name: string, doc: SchemaDoc): HTMLElement {
  const box = document.createElement('div');
  box.className = 'schema-doc';
  const title = document.createElement('div');
  title.className = 'schema-doc-title';
  title.textContent = name;
  const type = document.createElement('div');
  type.className = 'schema-doc-type';
  type.textContent = [doc.type, doc.defaultText !== undefined ? `default ${doc.defaultText}` : doc.required ? 'required' : 'optional'].join(' · ');
  box.append(title, type);
  if (doc.description) {
    const description = document.createElement('p');
    description.textContent = doc.description;
    box.append(description);
  }
  return box;
}
