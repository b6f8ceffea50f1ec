import type { MetricPoint } from '@cvf/core';

/** A number as a person reads it in a terminal: integers whole, others to 4 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** Metrics as `key value` pairs, numbers rounded; anything else as JSON. */
export function formatMetrics(metrics: Readonly<Record<string, unknown>>): string {
  return Object.entries(metrics)
    .map(([key, value]) => `${key} ${typeof value === 'number' ? formatNumber(value) : JSON.stringify(value)}`)
    .join('  ');
}

/** Columns padded to their widest cell, two spaces apart; numbers are right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] ?? '').length)));
  const numeric = header.map((_, k) => rows.length > 0 && rows.every((r) => /^-?[\d.e+-]*$/.test(r[k] ?? '')));
  const line = (cells: readonly string[]) => cells.map((c, k) => (numeric[k] ? c.padStart(widths[k]!) : c.padEnd(widths[k]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const BARS = '▁▂▃▄▅▆▇█';

/** One character per value, its height scaled between the series' minimum and maximum. */
export function sparkline(values: readonly number[]): string {
  const min = Math.min(...values);
  const span = Math.max(...values) - min;
  return values.map((v) => BARS[span > 0 ? Math.round(((v - min) / span) * (BARS.length - 1)) : 0]).join('');
}

/**
 * The per-epoch history of a run: one line per metric logged at more than one step, with its
 * sparkline, first and last values and its best (lowest for losses, highest otherwise).
 * Training logs epochs at steps 1, 2, ... and the final evaluation at step 0 after them: a step 0
 * written after the last step is that summary, not the start of the series, and is left out.
 */
export function historyLines(points: readonly MetricPoint[]): string[] {
  const series = new Map<string, MetricPoint[]>();
  for (const point of points) series.set(point.key, [...(series.get(point.key) ?? []), point]);
  for (const [key, values] of series) {
    const last = values.at(-1)!;
    if (values.length > 1 && values[0]!.step === 0 && values[0]!.time >= last.time) series.set(key, values.slice(1));
  }
  const rows = [...series].filter(([, values]) => new Set(values.map((p) => p.step)).size > 1);
  const width = Math.max(0, ...rows.map(([key]) => key.length));
  return rows.map(([key, values]) => {
    const lowerIsBetter = /loss|error|ece|brier/.test(key);
    const best = values.reduce((a, b) => (lowerIsBetter ? (b.value < a.value ? b : a) : b.value > a.value ? b : a));
    const line = `${key.padEnd(width)}  ${sparkline(values.map((p) => p.value))}  ${formatNumber(values[0]!.value)} → ${formatNumber(values.at(-1)!.value)}`;
    return key === 'lr' ? line : `${line}  (best ${formatNumber(best.value)} at step ${best.step})`;
  });
}

/** A confusion matrix with its class names: rows are the true class, columns the predicted one. */
export function confusionMatrixLines(classes: readonly string[], matrix: readonly (readonly number[])[]): string[] {
  const header = ['true \\ predicted', ...classes];
  return formatTable(header, matrix.map((row, k) => [classes[k] ?? String(k), ...row.map(String)])).split('\n');
}
