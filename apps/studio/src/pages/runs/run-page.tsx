import { useEffect, useMemo, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.js';
import type { RunDetail } from '../../api/schemas.js';
import { ErrorMessage } from '../../app/error-message.js';
import { ConfigDiff } from './config-diff.js';
import { ConfusionMatrix } from './confusion-matrix.js';
import { MetricChart } from './metric-chart.js';
import { metricCharts } from './metric-groups.js';
import { PerClassTable } from './per-class-table.js';
import { formatNumber, ProgressBar } from './progress-bar.js';
import { ReliabilityDiagram } from './reliability-diagram.js';
import { relativeTime } from './run-list.js';
import { useRunStore } from './run-store.js';
import { formatDuration } from './runs-store.js';

/** /runs/:id: one run — live progress, metrics, evaluation, params, artifacts, config. */
export function RunPage() {
  const { id } = useParams();
  const { detail, error, live, liveError, open, close } = useRunStore();
  useEffect(() => {
    if (id) open(id);
    return close;
  }, [id, open, close]);

  if (error !== null) return <ErrorMessage error={error} title={`Run ${id} could not be loaded`} onRetry={() => window.location.reload()} />;
  if (!detail || detail.run.id !== id) return <p className="muted">Loading run {id}…</p>;
  const { run } = detail;
  return (
    <article className="run-page" aria-labelledby="run-title">
      <header className="run-title-bar">
        <div>
          <h1 id="run-title">{run.name ?? run.id}</h1>
          <div className="muted small">
            {run.id} · experiment {run.experiment} · started {relativeTime(run.startedAt)} · {run.durationMs === null ? `running for ${formatDuration(Date.now() - run.startedAt)}` : formatDuration(run.durationMs)}
            {run.parentId && (
              <>
                {' · child of '}
                <Link to={`/runs/${run.parentId}`}>{run.parentId.slice(0, 8)}</Link>
                {' · '}
                <Link to={`/runs/compare?ids=${run.parentId},${run.id}`}>compare with it</Link>
              </>
            )}
          </div>
        </div>
        <span className="spacer" />
        <span className={`status status-${run.status} big`} data-testid="run-status">
          {run.status}
        </span>
        {run.model && (
          <Link to={`/models#${run.model.name}`} className="badge">
            {run.model.name} v{run.model.version}
          </Link>
        )}
      </header>
      {run.failureReason && <p className="error-text">{run.failureReason}</p>}
      {run.status === 'running' && (
        <Section title="Live progress">
          {live ? <ProgressBar line={live} /> : <p className="muted">Waiting for the next progress event…</p>}
          {liveError !== null && <ErrorMessage error={liveError} title="Live progress stopped; reload the page to follow the run again" />}
        </Section>
      )}
      <Section title="Metrics">
        <MetricTable metrics={run.metrics} />
      </Section>
      <Charts detail={detail} />
      {detail.evaluation && (
        <Section title="Evaluation (test split)">
          <div className="eval-grid">
            <ConfusionMatrix runId={run.id} evaluation={detail.evaluation.test} />
            <ReliabilityDiagram bins={detail.evaluation.test.reliability} />
          </div>
          <PerClassTable rows={detail.evaluation.test.perClass} />
        </Section>
      )}
      <div className="two-columns">
        <Section title={`Params (${Object.keys(detail.params).length})`}>
          <div className="scroll-box">
            <ParamsTable params={detail.params} />
          </div>
        </Section>
        <Section title="Tags and artifacts">
          <div className="tags">
            {Object.entries(run.tags).map(([k, v]) => (
              <span key={k} className="tag" title={v}>
                {k}={v}
              </span>
            ))}
          </div>
          <ul className="artifacts">
            {detail.artifacts.map((a) => (
              <li key={a.path}>
                <a href={api.artifactUrl(run.id, a.path)} download>
                  {a.path}
                </a>{' '}
                <span className="muted">{formatBytes(a.size)}</span>
              </li>
            ))}
            {detail.artifacts.length === 0 && <li className="muted">no artifacts</li>}
          </ul>
        </Section>
      </div>
      {detail.configText !== null && (
        <Section title={detail.parentConfigText !== null ? 'Config (diff against the parent)' : 'Config'}>
          <ConfigDiff configText={detail.configText} parentConfigText={detail.parentConfigText} />
        </Section>
      )}
    </article>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="panel">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function Charts({ detail }: { detail: RunDetail }) {
  const charts = useMemo(() => metricCharts(detail.history), [detail.history]);
  if (charts.length === 0) return null;
  return (
    <section className="panel">
      <h2>Per epoch</h2>
      <div className="chart-grid">
        {charts.map((chart) => (
          <MetricChart key={chart.title} title={chart.title} series={chart.series} />
        ))}
      </div>
    </section>
  );
}

function MetricTable({ metrics }: { metrics: Record<string, number> }) {
  const entries = Object.entries(metrics).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="muted">No metrics yet.</p>;
  return (
    <dl className="metric-grid">
      {entries.map(([key, value]) => (
        <div key={key} className="metric">
          <dt>{key}</dt>
          <dd>{formatNumber(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function ParamsTable({ params }: { params: Record<string, unknown> }) {
  return (
    <table className="data-table compact">
      <tbody>
        {Object.entries(params)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, value]) => (
            <tr key={key}>
              <td className="param-key">{key}</td>
              <td>{formatParam(value)}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

export function formatParam(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
