import { useEffect, useState } from 'react';
import { sliceKey, useInferenceStore } from './inference-store.js';
import { ThumbnailCanvas } from './thumbnail-canvas.js';
import { currentSlice, useViewerStore } from './viewer-store.js';

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;

/** Runs the model on the slice on screen whenever the slice, the model or the saliency switch changes. */
export function useAutoPredict(): void {
  const state = useViewerStore();
  const current = currentSlice(state);
  const model = useInferenceStore((s) => s.model);
  const saliencyOn = useInferenceStore((s) => s.saliencyOn);
  const predict = useInferenceStore((s) => s.predict);
  const key = current ? sliceKey(current.slice) : null;
  useEffect(() => {
    if (current && model) void predict(current.slice);
  }, [key, model, saliencyOn]);
}

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

/** The training cases nearest to the slice in the bundle's case index: thumbnail, label, similarity; a click enlarges one. */
export function SimilarCases() {
  const state = useViewerStore();
  const current = currentSlice(state);
  const { prediction, model } = useInferenceStore();
  const [enlarged, setEnlarged] = useState<string | null>(null);
  useEffect(() => setEnlarged(null), [prediction]);
  if (!model || !current || !prediction || prediction.key !== sliceKey(current.slice)) return null;
  const cases = prediction.prediction.similar;
  const big = enlarged ? model.predictor.thumbnail(enlarged) : null;
  return (
    <section className="viewer-similar" data-testid="similar-cases" aria-labelledby="viewer-similar-title">
      <h3 id="viewer-similar-title">Similar cases</h3>
      <ul>
        {cases.map((c) => {
          const thumbnail = model.predictor.thumbnail(c.id);
          return (
            <li key={c.id}>
              <button type="button" data-testid="similar-case" data-case-id={c.id} aria-pressed={enlarged === c.id} onClick={() => setEnlarged(enlarged === c.id ? null : c.id)}>
                {thumbnail ? <ThumbnailCanvas image={thumbnail} size={48} label={`case ${c.id}`} /> : <span className="viewer-no-thumbnail">no picture</span>}
                <span>{c.label}</span>
                <span title="similarity score of the case index">{c.score.toFixed(3)}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {enlarged && (
        <figure data-testid="similar-case-enlarged" className="viewer-similar-enlarged">
          {big ? <ThumbnailCanvas image={big} size={192} label={`case ${enlarged}`} /> : <p>This bundle has no picture of case {enlarged}.</p>}
          <figcaption>
            case {enlarged} · {cases.find((c) => c.id === enlarged)?.label}
          </figcaption>
        </figure>
      )}
    </section>
  );
}

/** Switches the occlusion map on and off and sets its opacity. */
export function SaliencyControls() {
  const { model, saliencyOn, saliencyOpacity, explaining, saliency, setSaliency, setSaliencyOpacity } = useInferenceStore();
  if (!model) return null;
  return (
    <section className="viewer-saliency" aria-label="Saliency">
      <label>
        <input type="checkbox" data-testid="saliency-toggle" checked={saliencyOn} onChange={(e) => setSaliency(e.currentTarget.checked)} /> Saliency (occlusion)
      </label>
      <label>
        opacity <input type="range" data-testid="saliency-opacity" min={0} max={1} step={0.05} value={saliencyOpacity} onChange={(e) => setSaliencyOpacity(Number(e.currentTarget.value))} />
      </label>
      {saliencyOn && explaining && <span aria-live="polite">computing…</span>}
      {saliencyOn && saliency && !explaining && <span data-testid="saliency-ready">{saliency.map.evaluations} occluded predictions</span>}
    </section>
  );
}
