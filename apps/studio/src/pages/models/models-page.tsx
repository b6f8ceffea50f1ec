import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { ModelEntry, ModelVersionEntry } from '../../api/schemas.js';
import { ErrorMessage } from '../../app/error-message.js';
import { formatNumber } from '../runs/progress-bar.js';
import { relativeTime } from '../runs/run-list.js';
import { useModelsStore } from './models-store.js';
import { PromoteDialog } from './promote-dialog.js';

const HISTORY_SHOWN = 10;

/** /models: registered models, their versions, aliases with history, lineage to the run; promote. */
export function ModelsPage() {
  const { models, error, load } = useModelsStore();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section aria-labelledby="models-title">
      <h1 id="models-title">Models</h1>
      {error !== null && <ErrorMessage error={error} title="The registry could not be read" onRetry={() => void load()} />}
      {models === null && error === null && <p className="muted">Loading models…</p>}
      <div data-testid="model-list">
        {models?.length === 0 && <p className="empty">No registered models yet. A run with `registry.register: true` registers its bundle.</p>}
        {models?.map((model) => (
          <ModelCard key={model.name} model={model} />
        ))}
      </div>
    </section>
  );
}

function ModelCard({ model }: { model: ModelEntry }) {
  const promote = useModelsStore((s) => s.promote);
  const [promoting, setPromoting] = useState<number | null>(null);
  const current = Object.fromEntries(model.aliases.map((a) => [a.alias, a.version]));
  // Every alias's moves in one list, newest first.
  const history = model.aliases.flatMap((a) => a.history.map((h) => ({ alias: a.alias, ...h }))).sort((a, b) => b.at - a.at);
  const metricKeys = [...new Set(model.versions.flatMap((v) => Object.keys(v.metrics).filter((k) => typeof v.metrics[k] === 'number')))].slice(0, 4);
  return (
    <article className="panel model" id={model.name} data-testid="model" data-model={model.name}>
      <header className="toolbar">
        <h2>{model.name}</h2>
        {model.aliases.map((a) => (
          <span key={a.alias} className={`alias alias-${a.alias}`} data-testid={`alias-${a.alias}`}>
            @{a.alias} → v{a.version}
          </span>
        ))}
      </header>
      <table className="data-table">
        <thead>
          <tr>
            <th>version</th>
            <th>aliases</th>
            <th>run</th>
            <th>created</th>
            {metricKeys.map((k) => (
              <th key={k} className="num">
                {k}
              </th>
            ))}
            <th>input</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {model.versions.map((v) => (
            <tr key={v.version} data-testid="model-version" data-version={v.version}>
              <td>v{v.version}</td>
              <td>
                {v.aliases.map((a) => (
                  <span key={a} className={`alias alias-${a}`}>
                    @{a}
                  </span>
                ))}
              </td>
              <td>{v.runId ? <Link to={`/runs/${v.runId}`}>{v.runId.slice(0, 8)}</Link> : <span className="muted">—</span>}</td>
              <td title={new Date(v.createdAt).toISOString()}>{relativeTime(v.createdAt)}</td>
              {metricKeys.map((k) => (
                <td key={k} className="num">
                  {formatNumber(v.metrics[k] as number | undefined)}
                </td>
              ))}
              <td className="small">
                <InputContract version={v} />
              </td>
              <td>
                <button type="button" className="small" onClick={() => setPromoting(v.version)}>
                  Promote…
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {history.length > 0 && (
        <details className="history" open>
          <summary>Alias history</summary>
          <ul data-testid="alias-history">
            {history.slice(0, HISTORY_SHOWN).map((h) => (
              <li key={`${h.alias}-${h.at}-${h.version}`}>
                <span title={new Date(h.at).toISOString()}>{new Date(h.at).toLocaleString()}</span>: @{h.alias} → v{h.version}
                {h.previous !== null && <span className="muted"> (from v{h.previous})</span>}
              </li>
            ))}
            {history.length > HISTORY_SHOWN && <li className="muted">{history.length - HISTORY_SHOWN} older moves</li>}
          </ul>
        </details>
      )}
      {promoting !== null && (
        <PromoteDialog model={model.name} version={promoting} current={current} onConfirm={(alias) => promote(model.name, alias, promoting)} onClose={() => setPromoting(null)} />
      )}
    </article>
  );
}

/** The bundle's input contract in a line: size, channels, accepted formats. */
function InputContract({ version }: { version: ModelVersionEntry }) {
  const input = version.inputContract;
  if (!input) return <span className="muted">bundle unreadable</span>;
  const size = input.height && input.width ? `${String(input.height)}×${String(input.width)}` : '';
  const parts = [size, input.channels !== undefined ? `${String(input.channels)} ch` : '', Array.isArray(input.formats) ? input.formats.join(', ') : ''].filter(Boolean);
  return <span title={JSON.stringify(input, null, 2)}>{parts.join(' · ') || 'see bundle'}</span>;
}
