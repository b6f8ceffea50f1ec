import { useEffect } from 'react';
import { Link } from 'react-router';
import type { Job, ProgressLine } from '../../api/schemas.js';
import { ErrorMessage } from '../../app/error-message.js';
import { ProgressBar } from '../runs/progress-bar.js';
import { useQueueStore } from './queue-store.js';

/** The run queue: queued and running `cvf train` jobs with their live progress, and the last ones that ended. */
export function QueuePanel() {
  const { jobs, progress, error, refresh, cancel } = useQueueStore();
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const ordered = [...jobs].sort((a, b) => b.queuedAt - a.queuedAt).slice(0, 12);
  return (
    <section className="panel" aria-labelledby="queue-title" data-testid="queue-panel">
      <h2 id="queue-title">Queue</h2>
      {error !== null && <ErrorMessage error={error} title="The queue did not answer" onRetry={() => void refresh()} />}
      {ordered.length === 0 && <p className="muted">Nothing queued. Open a pipeline and press Run (Ctrl Enter).</p>}
      <ul className="job-list">
        {ordered.map((job) => (
          <JobItem key={job.id} job={job} line={progress[job.id]} onCancel={() => void cancel(job.id)} />
        ))}
      </ul>
    </section>
  );
}

function JobItem({ job, line, onCancel }: { job: Job; line: ProgressLine | undefined; onCancel(): void }) {
  const active = job.state === 'queued' || job.state === 'running';
  return (
    <li className="job" data-testid="queue-job" data-state={job.state}>
      <div className="job-head">
        <span className={`status status-${job.state}`}>{job.state}</span>
        <span className="job-config" title={job.overrides.join(' ')}>
          {job.config}
        </span>
        {active && (
          <button type="button" className="small danger" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      {job.state === 'running' && line && <ProgressBar line={line} />}
      {job.runId && (
        <Link to={`/runs/${job.runId}`} className="small-link">
          run {job.runId.slice(0, 8)} →
        </Link>
      )}
      {job.error && <p className="error-text">{job.error}</p>}
    </li>
  );
}
