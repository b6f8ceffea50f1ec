import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { RUN_STATUSES, type RunStatus } from '../../api/schemas.js';
import { ErrorMessage } from '../../app/error-message.js';
import { isTyping } from '../../app/use-shortcuts.js';
import { RunList } from './run-list.js';
import { keyMetrics, MAX_COMPARED, useRunsStore, visibleRuns } from './runs-store.js';

/** /runs: every run, filtered, sorted, with parents and children; pick 2–10 to compare. */
export function RunsPage() {
  const { runs, error, query, status, sort, picked, load, setQuery, setStatus, sortBy, togglePick, clearPicked } = useRunsStore();
  const navigate = useNavigate();
  const [focused, setFocused] = useState(-1);
  const filter = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void load();
    // Running runs move on: refresh while the page is open and in view.
    const timer = window.setInterval(() => document.hidden || void load(), 5000);
    return () => window.clearInterval(timer);
  }, [load]);

  const rows = useMemo(() => visibleRuns(runs ?? [], query, status, sort), [runs, query, status, sort]);
  const metrics = useMemo(() => keyMetrics(runs ?? []), [runs]);
  const compare = () => navigate(`/runs/compare?ids=${picked.join(',')}`);

  // `/` filters; j/k move; Enter opens; x picks for comparison.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const row = rows[focused];
      if (event.key === '/') {
        event.preventDefault();
        filter.current?.focus();
      } else if (event.key === 'j') setFocused((f) => Math.min(rows.length - 1, f + 1));
      else if (event.key === 'k') setFocused((f) => Math.max(0, f - 1));
      else if (event.key === 'Enter' && row) navigate(`/runs/${row.run.id}`);
      else if (event.key === 'x' && row) togglePick(row.run.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rows, focused, navigate, togglePick]);

  return (
    <section className="runs-page" aria-labelledby="runs-title">
      <div className="toolbar">
        <h1 id="runs-title">Runs</h1>
        <input
          ref={filter}
          type="search"
          className="filter"
          placeholder="Filter by name, id, experiment, model, tag  ( / )"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Filter runs"
        />
        <select value={status} onChange={(e) => setStatus(e.target.value as RunStatus | '')} aria-label="Status">
          <option value="">any status</option>
          {RUN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <span className="spacer" />
        <span className="muted">{runs ? `${rows.length} of ${runs.length} runs` : ''}</span>
        {picked.length > 0 && (
          <button type="button" onClick={clearPicked}>
            Clear {picked.length}
          </button>
        )}
        <button type="button" className="primary" disabled={picked.length < 2} onClick={compare} title={`pick 2 to ${MAX_COMPARED} runs (x)`}>
          Compare{picked.length >= 2 ? ` ${picked.length}` : ''}
        </button>
      </div>
      {error !== null && <ErrorMessage error={error} title="The runs could not be loaded" onRetry={() => void load()} />}
      {runs === null && error === null && <p className="muted">Loading runs…</p>}
      {runs !== null && runs.length === 0 && <p className="empty">No runs yet. Open a pipeline and press Run, or run `cvf train CONFIG`.</p>}
      {runs !== null && runs.length > 0 && <RunList rows={rows} metrics={metrics} sort={sort} picked={picked} focused={focused} onSort={sortBy} onPick={togglePick} onFocus={setFocused} />}
    </section>
  );
}
