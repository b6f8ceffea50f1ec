import { sliceKey, useInferenceStore } from './inference-store.js';
import { currentSlice, useViewerStore } from './viewer-store.js';

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;

/** The prediction for the slice on screen: the decision (operating point or referral, as `cvf predict` shows it), label, probability, top-k. */
export function PredictionPanel() {
  const state = useViewerStore();
  const current = currentSlice(state);
  const { prediction, predicting, predictError, model } = useInferenceStore();
  if (!model || !current) return null;
  const shown = prediction && prediction.key === sliceKey(current.slice) ? prediction : null;
  if (predictError) return <p role="alert" className="viewer-error">{predictError}</p>;
  if (!shown) return <p aria-live="polite">{predicting ? 'Inferring on this device…' : ''}</p>;
  const { label, probabilities, classIndex, top, decision } = shown.prediction;
  const refer = decision.outcome === 'refer';
  return (
    <section className="viewer-prediction" data-testid="prediction" data-slice={shown.key} data-file={current.image.fileName} data-frame={current.slice.frame} data-probabilities={JSON.stringify(probabilities)} data-label={label} data-probability={probabilities[classIndex]} aria-labelledby="viewer-prediction-title">
      <h3 id="viewer-prediction-title">Prediction</h3>
      <p data-testid="prediction-decision" data-outcome={decision.outcome} data-decision-label={decision.label} data-reasons={decision.reasons.map((r) => r.code).join(' ')} data-model={`${decision.model.name}@${decision.model.version}`} className={`viewer-decision ${refer ? 'viewer-refer' : ''}`}>
        {decision.summary}
      </p>
      <p className="viewer-prediction-label">
        <strong data-testid="prediction-label">{label}</strong> <span data-testid="prediction-probability">{percent(probabilities[classIndex]!)}</span>
      </p>
      <ol className="viewer-top" data-testid="prediction-top">
        {top.map((t) => (
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
