import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { RunSummary } from '../../api/schemas.js';
import { formatNumber } from './progress-bar.js';
import { formatDuration, type SortKey } from './runs-store.js';

interface Props {
  rows: readonly { run: RunSummary; depth: number }[];
  metrics: readonly string[];
  sort: { key: SortKey; descending: boolean };
  picked: readonly string[];
  focused: number;
  onSort(key: SortKey): void;
  onPick(id: string): void;
  onFocus(index: number): void;
}

const ROW_HEIGHT = 40;
/** Tags the studio and the pipeline set for their own bookkeeping: on the run's page, not in the list. */
const HIDDEN_TAGS = new Set(['bundle', 'studioJob']);

/** The runs table, virtualised: only the rows in view are in the DOM, so thousands of runs scroll smoothly. */
export function RunList({ rows, metrics, sort, picked, focused, onSort, onPick, onFocus }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  useEffect(() => {
    if (focused >= 0) virtualizer.scrollToIndex(focused, { align: 'auto' });
  }, [focused, virtualizer]);
  const columns = `2.5rem 6rem minmax(12rem, 2fr) minmax(7rem, 1fr) 6.5rem 8rem ${metrics.map(() => '7rem').join(' ')} minmax(8rem, 1.5fr)`;
  const header = (key: SortKey, label: string) => (
    <button type="button" className="sort" onClick={() => onSort(key)} aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : undefined}>
      {label}
      {sort.key === key ? (sort.descending ? ' ↓' : ' ↑') : ''}
    </button>
  );
  return (
    <div className="run-table" role="table" aria-label="Runs" aria-rowcount={rows.length}>
      <div className="run-row-grid run-header" role="row" style={{ gridTemplateColumns: columns }}>
        <span role="columnheader" aria-label="compare" />
        <span role="columnheader">{header('status', 'Status')}</span>
        <span role="columnheader">{header('name', 'Run')}</span>
        <span role="columnheader">{header('startedAt', 'Started')}</span>
        <span role="columnheader">{header('durationMs', 'Duration')}</span>
        <span role="columnheader">Model</span>
        {metrics.map((m) => (
          <span role="columnheader" key={m} className="num">
            {header(`metric:${m}`, m)}
          </span>
        ))}
        <span role="columnheader">Tags</span>
      </div>
      <div className="run-scroller" ref={scroller} data-testid="run-list">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const { run, depth } = rows[item.index]!;
            return (
              <div
                key={run.id}
                role="row"
                data-testid="run-row"
                data-run-id={run.id}
                className={`run-row-grid run-row${item.index === focused ? ' focused' : ''}${picked.includes(run.id) ? ' picked' : ''}`}
                style={{ gridTemplateColumns: columns, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onMouseDown={() => onFocus(item.index)}
              >
                <span role="cell">
                  <input type="checkbox" checked={picked.includes(run.id)} onChange={() => onPick(run.id)} aria-label={`compare ${run.name ?? run.id}`} />
                </span>
                <span role="cell">
                  <span className={`status status-${run.status}`} data-testid="run-status">
                    {run.status}
                  </span>
                </span>
                <span role="cell" className="run-name" style={{ paddingLeft: `${depth * 1.25}rem` }}>
                  {depth > 0 && <span className="child-mark" aria-label="child run">↳ </span>}
                  <Link to={`/runs/${run.id}`} title={run.id}>
                    {run.name ?? run.id.slice(0, 8)}
                  </Link>
                  <span className="muted small"> {run.experiment}</span>
                </span>
                <span role="cell" className="muted" title={new Date(run.startedAt).toISOString()}>
                  {relativeTime(run.startedAt)}
                </span>
                <span role="cell">{formatDuration(run.durationMs)}</span>
                <span role="cell">{run.model ? `${run.model.name} v${run.model.version}` : ''}</span>
                {metrics.map((m) => (
                  <span role="cell" key={m} className="num">
                    {formatNumber(run.metrics[m])}
                  </span>
                ))}
                <span role="cell" className="tags">
                  {Object.entries(run.tags)
                    .filter(([k]) => !HIDDEN_TAGS.has(k))
                    .map(([k, v]) => (
                      <span key={k} className="tag" title={`${k}=${v}`}>
                        {k}={v}
                      </span>
                    ))}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

export function relativeTime(at: number): string {
  const seconds = Math.round((Date.now() - at) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(at).toLocaleDateString();
}
