import type { MetricPoint } from '../../api/schemas.js';
import type { ChartSeries } from './metric-chart.js';

/**
 * Groups a run's metric history into charts: `train.loss` and `val.loss` share the "loss" chart,
 * `val.accuracy` gets "accuracy", `lr` its own. Keys logged at a single step (test scores) are
 * left out: a chart of one point says less than the table.
 */
export function metricCharts(history: readonly MetricPoint[], prefix = ''): { title: string; series: ChartSeries[] }[] {
  const byKey = new Map<string, { step: number; value: number }[]>();
  for (const point of history) byKey.set(point.key, [...(byKey.get(point.key) ?? []), { step: point.step, value: point.value }]);
  const charts = new Map<string, ChartSeries[]>();
  for (const [key, points] of byKey) {
    if (new Set(points.map((p) => p.step)).size < 2) continue;
    const title = key.replace(/^(train|val|test)\./, '');
    charts.set(title, [...(charts.get(title) ?? []), { label: `${prefix}${key}`, points: [...points].sort((a, b) => a.step - b.step) }]);
  }
  return [...charts].map(([title, series]) => ({ title, series })).sort((a, b) => chartRank(a.title) - chartRank(b.title) || a.title.localeCompare(b.title));
}

const FIRST = ['loss', 'accuracy'];
const chartRank = (title: string) => (FIRST.includes(title) ? FIRST.indexOf(title) : FIRST.length);
