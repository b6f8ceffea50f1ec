import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type ConfigPath = readonly PropertyKey[];

/** What a config path points at in the YAML source: the value and, in a mapping, its key. */
export interface LocatedNode {
  /** The node at the path, or at the deepest ancestor present in the document. */
  node: Node | null;
  /** The key node of the last pair walked through, when the path ended inside a mapping. */
  key: Node | null;
  /** True when the whole path exists in the document (not only an ancestor). */
  exact: boolean;
}

/** Walks `path` through the document's mappings and sequences, stopping at the first missing step. */
export function locate(doc: Document, path: ConfigPath): LocatedNode {
  let node = resolveAlias(doc, doc.contents);
  let key: Node | null = null;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (pair === undefined) return { node, key, exact: false };
      key = pair.key as Node;
      // `key:` with nothing after it has no value node: the key itself is the best position.
      node = resolveAlias(doc, (pair.value as Node | null) ?? null) ?? key;
    } else if (isSeq(node) && typeof step === 'number' && node.items[step] !== undefined) {
      node = resolveAlias(doc, node.items[step] as Node);
      key = null;
    } else {
      return { node, key, exact: false };
    }
  }
  return { node, key, exact: true };
}

/** 1-based line and column of a node's start; 1:1 when the node (an empty document) has none. */
export function positionOf(node: Node | null, lineCounter: LineCounter): { line: number; column: number } {
  return positionAt(node?.range?.[0] ?? 0, lineCounter);
}

export function positionAt(offset: number, lineCounter: LineCounter): { line: number; column: number } {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * The config path of the innermost key or item whose source text holds `offset`, to label YAML
 * syntax errors. A pair holds the offset when its key starts before it and its value has not
 * ended; the strict "before" keeps a broken key's own text out of the path.
 */
export function pathAtOffset(doc: Document, offset: number): PropertyKey[] {
  const path: PropertyKey[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const start = (p.key as Node | null)?.range?.[0] ?? Infinity;
        const end = ((p.value ?? p.key) as Node | null)?.range?.[1] ?? -Infinity;
        return start < offset && offset < end;
      });
      if (pair === undefined || !isScalar(pair.key)) return path;
      path.push(String(pair.key.value));
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => {
        const range = (item as Node | null)?.range;
        return range != null && range[0] <= offset && offset < range[1];
      });
      if (index < 0) return path;
      path.push(index);
      node = node.items[index];
    } else {
      return path;
    }
  }
}

function resolveAlias(doc: Document, node: Node | null): Node | null {
  return isAlias(node) ? ((node.resolve(doc) as Node | undefined) ?? node) : node;
}
