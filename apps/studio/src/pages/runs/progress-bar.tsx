import type { ProgressLine } from '../../api/schemas.js';

/** One `cvf train --json` progress line: stage, done/total as a bar, ETA and the latest metrics. */
export function ProgressBar({ line }: { line: ProgressLine }) {
  const fraction = line.total > 0 ? Math.min(1, line.done / line.total) : 0;
  const metrics = Object.entries(line.metrics ?? {})
    .map(([key, value]) => `${key} ${formatNumber(value)}`)
    .join(' · ');
  return (
    <div className="progress" data-testid="live-progress">
      <div className="progress-text">
        <strong data-testid="progress-stage">{line.stage}</strong>
        <span data-testid="progress-count">
          {line.done}/{line.total}
        </span>
        {line.etaSeconds !== undefined && fraction < 1 && <span className="muted">ETA {Math.round(line.etaSeconds)} s</span>}
        {metrics && <span className="muted">{metrics}</span>}
        {line.message && <span className="muted">{line.message}</span>}
      </div>
      <div className="progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={line.total} aria-valuenow={line.done} aria-label={line.stage}>
        <div className="progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
    </div>
  );
}

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (Number.isInteger(value) || Math.abs(value) >= 100) return value.toFixed(0);
  // A learning rate of 1e-5 is not 0.0000.
  if (Math.abs(value) < 0.001) return value.toExponential(2);
  return value.toFixed(4);
}
