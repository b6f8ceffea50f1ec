import { isMap, type Document } from 'yaml';
import type { ConfigOverride } from './overrides.js';
import { pipelineConfigSchema } from './schema.js';
import { discriminatorAt, knownKeysAt } from './schema-keys.js';

/**
 * A `--set` that changes the choice of a discriminated union — `model.head=softmax`,
 * `features.kind=pixels`, `index.kind=hnsw`, `data.source.kind=...` — leaves the file's options of
 * the old choice behind (`model.hidden` of an mlp head), which the new choice does not accept.
 * Removes them from `doc`, so the override means what it says; keys another `--set` gave are kept
 * (and reported by validation if the new choice has no such key).
 */
export function dropOptionsOfReplacedChoice(doc: Document, overrides: readonly ConfigOverride[]): void {
  for (const override of overrides) {
    const parent = override.path.slice(0, -1);
    const tag = override.path.at(-1);
    const value = doc.toJS() as unknown;
    if (typeof tag !== 'string' || discriminatorAt(pipelineConfigSchema, parent, value) !== tag) continue;
    const accepted = new Set(knownKeysAt(pipelineConfigSchema, parent, value));
    const mapping = doc.getIn(parent, true);
    // No branch for the new value: validation names the valid choices; nothing to drop.
    if (accepted.size === 0 || !isMap(mapping)) continue;
    for (const pair of [...mapping.items]) {
      const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
      const setByOverride = overrides.some((o) => o.path.length > parent.length && parent.every((step, i) => o.path[i] === step) && o.path[parent.length] === key);
      if (accepted.has(key) || setByOverride) continue;
      mapping.delete(pair.key);
    }
  }
}
