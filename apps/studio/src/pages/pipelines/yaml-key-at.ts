import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

/** A key under the pointer: its config path (the key last) and where its text lies. */
export interface KeyAt {
  readonly path: (string | number)[];
  readonly from: number;
  readonly to: number;
}

/** The mapping key whose source text holds `offset`, in block or flow style, with its path. */
export function keyAt(doc: Document, offset: number): KeyAt | undefined {
  return search(doc.contents as Node | null, offset, []);
}

function search(node: Node | null, offset: number, path: (string | number)[]): KeyAt | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (!isScalar(key) || !key.range) continue;
      const keyPath = [...path, String(key.value)];
      if (key.range[0] <= offset && offset <= key.range[1]) return { path: keyPath, from: key.range[0], to: key.range[1] };
      const found = search(pair.value as Node | null, offset, keyPath);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const found = search(item as Node | null, offset, [...path, index]);
      if (found) return found;
    }
  }
  return undefined;
}
