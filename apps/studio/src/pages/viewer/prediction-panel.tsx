import { sliceKey, useInferenceStore } from './inference-store.js';
import { currentSlice, useViewerStore } from './viewer-store.js';

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;

/** The prediction for the slice on screen: label, probability, the operating threshold, top-k. */
export function PredictionPanel() {
  const state = useViewerStore();
  const current = currentSlice(state);
  const { prediction, predicting, predictError, model } = useInferenceStore();
  if (!model || !current) return null;
  const shown = prediction && prediction.key === sliceKey(current.slice) ? prediction : null;
  if (predictError) return <p role="alert" className="viewer-error">{predictError}</p>;
  if (!shown) return <p aria-live="polite">{predicting ? 'Inferring on this device…' : ''}</p>;
  const { decision } = shown;
  return (
    <section className="viewer-prediction" data-testid="prediction" data-slice={shown.key} data-file={current.image.fileName} data-frame={current.slice.frame} data-probabilities={JSON.stringify(shown.prediction.probabilities)} data-label={decision.label} data-probability={decision.probability} data-refer={decision.refer} aria-labelledby="viewer-prediction-title">
      <h3 id="viewer-prediction-title">Prediction</h3>
      <p className="viewer-prediction-label">
        <strong data-testid="prediction-label">{decision.label}</strong> <span data-testid="prediction-probability">{percent(decision.probability)}</span>
      </p>
      <p data-testid="prediction-decision" className={decision.refer ? 'viewer-refer' : ''}>
        {decision.threshold === null
          ? 'no operating threshold in this bundle for this class'
          : decision.refer
            ? `refer: below the operating threshold ${percent(decision.threshold)}`
            : `at or above the operating threshold ${percent(decision.threshold)}`}
      </p>
      <ol className="viewer-top" data-testid="prediction-top">
        {shown.prediction.top.map((t) => (
          <li key={t.classIndex}>
            <span>{t.label}</span>
            <meter min={0} max={1} value={t.probability} />
            <span>{percent(t.probability)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
