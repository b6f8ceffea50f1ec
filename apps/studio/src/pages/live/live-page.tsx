import { useMemo } from 'react';
import { useInferenceStore } from '../viewer/inference-store.js';
import { ModelPanel } from '../viewer/model-panel.js';
import '../viewer/viewer.css';
import { LiveComputeBadge } from './live-compute-badge.js';
import { LiveResults } from './live-results.js';
import { LiveStage } from './live-stage.js';
import { useLiveStore } from './live-store.js';
import { ProbabilityChart } from './probability-chart.js';
import { SourcePanel } from './source-panel.js';
import { useLiveInput } from './use-live-input.js';
import './live.css';

/** /live: a camera or a video file through a registered model, frame by frame, in this browser. */
export function LivePage() {
  useLiveInput();
  const model = useInferenceStore((s) => s.model);
  const loadError = useInferenceStore((s) => s.loadError);
  const selected = useInferenceStore((s) => s.selected);
  const error = useLiveStore((s) => s.error);
  const history = useLiveStore((s) => s.history);
  const manifestClasses = model?.predictor.bundle.manifest.classes;
  const classes = useMemo(() => manifestClasses ?? [], [manifestClasses]);
  return (
    <section className="live" aria-labelledby="live-title">
      <header className="toolbar">
        <h1 id="live-title">Live</h1>
        <span className="muted">camera and video, inferred frame by frame in this browser</span>
        <span className="spacer" />
        <LiveComputeBadge />
      </header>
      {loadError && selected && (
        <div className="error-box" role="alert" data-testid="live-model-error">
          <p className="error-text">
            The model {selected.name} v{selected.version} failed to load, so no frame can be inferred: {loadError}. Pick another version, or check the bundle with <code>cvf predict</code>.
          </p>
        </div>
      )}
      {error && (
        <div className="error-box" role="alert" data-testid="live-error">
          <p className="error-text">{error}</p>
        </div>
      )}
      <div className="live-grid">
        <aside className="panel live-side">
          <SourcePanel />
          <ModelPanel />
        </aside>
        <LiveStage />
        <aside className="panel live-results">
          <LiveResults />
        </aside>
      </div>
      <div className="panel">
        <ProbabilityChart classes={classes} history={history} />
      </div>
    </section>
  );
}
