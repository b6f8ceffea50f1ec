/**
 * The finite numbers of a nested record as dotted keys, for a tracker's metrics: `{mcnemar: {pValue}}`
 * → `mcnemar.pValue`; an array element is keyed by its `label` when it has one (a class), else its index.
 */
export function numericLeaves(value: unknown, prefix = ''): Record<string, number> {
  if (typeof value === 'number') return Number.isFinite(value) && prefix ? { [prefix]: value } : {};
  if (value === null || typeof value !== 'object') return {};
  const entries = Array.isArray(value)
    ? value.map((item, i) => [typeof (item as { label?: unknown })?.label === 'string' ? (item as { label: string }).label : String(i), item] as const)
    : Object.entries(value);
  return Object.assign({}, ...entries.map(([key, item]) => numericLeaves(item, prefix ? `${prefix}.${key}` : key)));
}
