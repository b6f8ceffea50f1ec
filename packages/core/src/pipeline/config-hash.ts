import { sha256Hex } from '../bundle/sha256.js';

/** JSON with object keys sorted at every level: equal configs give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** The hash that ties runs, bundles and registry versions to the exact (defaults-filled) config. */
export function configHash(config: unknown): Promise<string> {
  return sha256Hex(new TextEncoder().encode(canonicalJson(config)));
}

/** `{ train: { lr: 1 } }` → `{ 'train.lr': 1 }`: the form tracking stores params in. Arrays stay values. */
export function flattenParams(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) flattenParams(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out[prefix] = value;
  }
  return out;
}
