import { useInferenceStore } from '../viewer/inference-store.js';
import { useLiveStore } from './live-store.js';

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;
const READER_TEXT = { webcodecs: 'WebCodecs VideoFrame', canvas: '2D canvas' } as const;

/** The latest frame's prediction and the stream's counters: achieved frame rate, frames inferred and dropped, time per frame. */
export function LiveResults() {
  const { prediction, inferred, dropped, fps, latencyMs, reader, status } = useLiveStore();
  const { model, loading } = useInferenceStore();
  const waiting = !model ? (loading ? 'Waiting for the model to load…' : 'No model is loaded: frames play but are not inferred.') : 'Inferring the first frame…';
  return (
    <>
      <section className="live-prediction" aria-labelledby="live-prediction-title">
        <h3 id="live-prediction-title">Prediction</h3>
        {!prediction && <p className="muted">{status === 'running' ? waiting : 'No frame inferred yet.'}</p>}
        {prediction && (
          <div data-testid="live-prediction" data-label={prediction.label} data-probability={prediction.probabilities[prediction.classIndex]}>
            <p className="live-label">
              <strong data-testid="live-label">{prediction.label}</strong> <span>{percent(prediction.probabilities[prediction.classIndex]!)}</span>
            </p>
            <p className={`live-decision ${prediction.decision.outcome === 'refer' ? 'live-refer' : ''}`}>{prediction.decision.summary}</p>
            <ol className="viewer-top">
              {prediction.top.map((t) => (
                <li key={t.classIndex}>
                  <span>{t.label}</span>
                  <meter min={0} max={1} value={t.probability} />
                  <span>{percent(t.probability)}</span>
                </li>
              ))}
            </ol>
          </div>
        )}
      </section>
      <section aria-labelledby="live-stats-title">
        <h3 id="live-stats-title">Stream</h3>
        <dl className="live-stats">
          <dt>Frame rate</dt>
          <dd data-testid="live-fps">{fps === null ? '—' : `${fps.toFixed(1)} fps`}</dd>
          <dt>Frames inferred</dt>
          <dd data-testid="live-frames" data-count={inferred}>
            {inferred}
          </dd>
          <dt>Frames dropped</dt>
          <dd data-testid="live-dropped" data-count={dropped} title="Frames that arrived while the previous one was still being inferred: skipped, never queued">
            {dropped}
          </dd>
          <dt>Time per frame</dt>
          <dd>{latencyMs === null ? '—' : `${latencyMs.toFixed(0)} ms`}</dd>
          <dt>Frames read by</dt>
          <dd data-testid="live-reader">{reader ? READER_TEXT[reader] : '—'}</dd>
        </dl>
      </section>
    </>
  );
}
