import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client.js';
import type { RunDetail } from '../../api/schemas.js';
import { ErrorMessage } from '../../app/error-message.js';
import { MetricChart, seriesColor, type ChartSeries } from './metric-chart.js';
import { metricCharts } from './metric-groups.js';
import { ParallelCoordinates, type Axis } from './parallel-coordinates.js';
import { formatNumber } from './progress-bar.js';
import { formatParam } from './run-page.js';
import { keyMetrics, MAX_COMPARED } from './runs-store.js';

/** /runs/compare?ids=a,b,…: 2–10 runs side by side — params with differences marked, overlaid charts, parallel coordinates. */
export function ComparePage() {
  const [search] = useSearchParams();
  const ids = useMemo(() => (search.get('ids') ?? '').split(',').filter(Boolean), [search]);
  const [details, setDetails] = useState<RunDetail[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [onlyDifferent, setOnlyDifferent] = useState(true);

  useEffect(() => {
    if (ids.length < 2 || ids.length > MAX_COMPARED) return;
    let live = true;
    Promise.all(ids.map((id) => api.getRun(id))).then(
      (loaded) => live && setDetails(loaded),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [ids]);

  if (ids.length < 2 || ids.length > MAX_COMPARED) return <ErrorMessage error={new Error(`pick 2 to ${MAX_COMPARED} runs on the Runs page to compare them (got ${ids.length})`)} title="Nothing to compare" />;
  if (error !== null) return <ErrorMessage error={error} title="The runs could not be loaded" />;
  if (!details) return <p className="muted">Loading {ids.length} runs…</p>;
  return <Comparison details={details} onlyDifferent={onlyDifferent} setOnlyDifferent={setOnlyDifferent} />;
}

function Comparison({ details, onlyDifferent, setOnlyDifferent }: { details: RunDetail[]; onlyDifferent: boolean; setOnlyDifferent(v: boolean): void }) {
  // Runs of one pipeline share a name: the short id tells them apart.
  const labels = details.map((d) => `${d.run.name ?? d.run.experiment} · ${d.run.id.slice(0, 6)}`);
  const keys = [...new Set(details.flatMap((d) => Object.keys(d.params)))].sort();
  const differs = (key: string) => new Set(details.map((d) => JSON.stringify(d.params[key]))).size > 1;
  const differing = keys.filter(differs);
  const shownKeys = onlyDifferent ? differing : keys;
  const metrics = keyMetrics(details.map((d) => d.run), 4);
  const charts = useMemo(() => overlay(details, labels), [details]);
  // The studio's job tag differs for every run and says nothing about the search: not an axis.
  const axes: Axis[] = [...differing.filter((key) => !key.startsWith('tracking.')).map((key) => ({ name: key, values: details.map((d) => d.params[key]) })), ...metrics.slice(0, 1).map((m) => ({ name: m, values: details.map((d) => d.run.metrics[m] ?? null) }))];

  return (
    <article className="compare-page" aria-labelledby="compare-title">
      <h1 id="compare-title">Compare {details.length} runs</h1>
      <section className="panel">
        <table className="data-table" data-testid="compare-runs">
          <thead>
            <tr>
              <th>run</th>
              <th>status</th>
              {metrics.map((m) => (
                <th key={m} className="num">
                  {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {details.map((d, i) => (
              <tr key={d.run.id}>
                <td>
                  <span className="swatch" style={{ background: seriesColor(i) }} /> <Link to={`/runs/${d.run.id}`}>{labels[i]}</Link>
                </td>
                <td>
                  <span className={`status status-${d.run.status}`}>{d.run.status}</span>
                </td>
                {metrics.map((m) => (
                  <td key={m} className="num">
                    {formatNumber(d.run.metrics[m])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {charts.length > 0 && (
        <section className="panel">
          <h2>Per epoch, overlaid</h2>
          <div className="chart-grid">
            {charts.map((chart) => (
              <MetricChart key={chart.title} title={chart.title} series={chart.series} />
            ))}
          </div>
        </section>
      )}
      {axes.length >= 2 && (
        <section className="panel">
          <h2>Search space</h2>
          <ParallelCoordinates axes={axes} labels={labels} />
        </section>
      )}
      <section className="panel">
        <div className="toolbar">
          <h2>Params</h2>
          <span className="muted">{differing.length} of {keys.length} differ</span>
          <span className="spacer" />
          <label>
            <input type="checkbox" checked={onlyDifferent} onChange={(e) => setOnlyDifferent(e.target.checked)} /> only differences
          </label>
        </div>
        <table className="data-table compact" data-testid="compare-params">
          <thead>
            <tr>
              <th>param</th>
              {labels.map((l, i) => (
                <th key={i}>{l}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shownKeys.map((key) => (
              <tr key={key} className={differs(key) ? 'differs' : undefined} data-differs={differs(key) || undefined}>
                <td className="param-key">{key}</td>
                {details.map((d) => (
                  <td key={d.run.id}>{d.params[key] === undefined ? '—' : formatParam(d.params[key])}</td>
                ))}
              </tr>
            ))}
            {shownKeys.length === 0 && (
              <tr>
                <td colSpan={labels.length + 1} className="muted">
                  The runs have the same params.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
    </article>
  );
}

/** Each chart title once, with every run's series in it (labelled by run). */
function overlay(details: readonly RunDetail[], labels: readonly string[]) {
  const byTitle = new Map<string, { title: string; series: ChartSeries[] }>();
  details.forEach((d, i) => {
    for (const chart of metricCharts(d.history, `${labels[i]} `)) {
      const entry = byTitle.get(chart.title) ?? { title: chart.title, series: [] };
      // One colour per run; validation lines dashed.
      entry.series.push(...chart.series.map((s) => ({ ...s, color: seriesColor(i), dashed: s.label.includes(' val.') })));
      byTitle.set(chart.title, entry);
    }
  });
  return [...byTitle.values()];
}
