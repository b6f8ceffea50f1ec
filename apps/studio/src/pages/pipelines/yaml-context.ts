/**
 * Where the cursor stands in a block-style YAML text, read from indentation alone: it works on
 * the half-typed, unparseable text the editor holds while someone types, where a YAML parser
 * gives up.
 */
export interface CursorContext {
  /** Keys of the mappings that enclose the cursor, outermost first. */
  readonly parents: readonly string[];
  /** 'key' when a key is being typed, 'value' after `key: ` on the same line. */
  readonly kind: 'key' | 'value';
  /** For 'value': the key whose value is being typed. */
  readonly key: string | undefined;
  /** The text typed so far of the word at the cursor, and where it starts in the document. */
  readonly word: string;
  readonly wordFrom: number;
}

const KEY_LINE = /^(\s*)(?:-\s+)?([A-Za-z0-9_.-]+)\s*:(.*)$/;

export function cursorContext(text: string, offset: number): CursorContext {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const indent = before.match(/^\s*/)![0].length;
  const wordMatch = before.match(/[A-Za-z0-9_.-]*$/)!;
  const word = wordMatch[0];
  const wordFrom = offset - word.length;
  const valueMatch = before.match(/^\s*(?:-\s+)?([A-Za-z0-9_.-]+)\s*:\s+(.*)$/);
  const parents = enclosingKeys(text, lineStart, indent);
  if (valueMatch) return { parents, kind: 'value', key: valueMatch[1], word, wordFrom };
  return { parents, kind: 'key', key: undefined, word, wordFrom };
}

/** The keys of lines above `lineStart` that open a mapping less indented than `indent`. */
function enclosingKeys(text: string, lineStart: number, indent: number): string[] {
  const lines = text.slice(0, lineStart).split('\n');
  const parents: string[] = [];
  let limit = indent;
  for (let i = lines.length - 1; i >= 0 && limit > 0; i--) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = line.match(KEY_LINE);
    const lineIndent = line.match(/^\s*/)![0].length;
    if (lineIndent >= limit) continue;
    if (match && match[3]!.replace(/#.*$/, '').trim() === '') parents.unshift(match[2]!);
    limit = lineIndent;
  }
  return parents;
}
