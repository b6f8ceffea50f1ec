import { stringify } from 'yaml';

/**
 * A run's resolved config as YAML, rebuilt from its params (the tracker stores the config
 * flattened: `train.epochs = 5`). Keys are nested back in the order they were logged.
 */
export function configTextOfParams(params: Readonly<Record<string, unknown>>): string | null {
  const entries = Object.entries(params);
  if (entries.length === 0) return null;
  const root: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const path = key.split('.');
    let node = root;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[path.at(-1)!] = value;
  }
  return stringify(root, { lineWidth: 0 });
}
