import { useMemo } from 'react';
import { EXPLAIN_METHOD_LABELS, explainAvailability, explainTraits, VIEWER_EXPLAIN_METHODS, type ViewerExplainMethod } from './explain-availability.js';
import { useInferenceStore } from './inference-store.js';

/**
 * The saliency overlay: on/off, the explanation method (those the model cannot answer are
 * disabled, with the reason below), the overlay's opacity, and the progress of a map being
 * computed, which the user can cancel. Every control is a native one: reachable with Tab, Space and the arrows.
 */
export function SaliencyControls() {
  const { model, saliencyOn, saliencyOpacity, saliencyMethod, explaining, explainProgress, explainStopped, saliency, setSaliency, setSaliencyOpacity, setSaliencyMethod, cancelExplain, rerunExplain } = useInferenceStore();
  const manifest = model?.predictor.bundle.manifest;
  const availability = useMemo(() => (manifest ? explainAvailability(explainTraits(manifest)) : null), [manifest]);
  if (!model || !availability) return null;
  const refused = VIEWER_EXPLAIN_METHODS.flatMap((m) => {
    const a = availability[m];
    return a.available ? [] : [{ method: m, reason: a.reason }];
  });
  const ready = saliencyOn && saliency && !explaining ? saliency.map : null;
  return (
    <section className="viewer-saliency" aria-label="Saliency">
      <label>
        <input type="checkbox" data-testid="saliency-toggle" checked={saliencyOn} onChange={(e) => setSaliency(e.currentTarget.checked)} /> Saliency
      </label>
      <label>
        method{' '}
        <select data-testid="saliency-method" value={saliencyMethod} onChange={(e) => setSaliencyMethod(e.currentTarget.value as ViewerExplainMethod)}>
          {VIEWER_EXPLAIN_METHODS.map((m) => (
            <option key={m} value={m} disabled={!availability[m].available}>
              {EXPLAIN_METHOD_LABELS[m]}
              {availability[m].available ? '' : ' (unavailable)'}
            </option>
          ))}
        </select>
      </label>
      {refused.length > 0 && (
        <p className="viewer-hint" data-testid="saliency-unavailable">
          {refused.map((r) => EXPLAIN_METHOD_LABELS[r.method]).join(' and ')}: {refused[0]!.reason}
        </p>
      )}
      <label>
        opacity <input type="range" data-testid="saliency-opacity" min={0} max={1} step={0.05} value={saliencyOpacity} onChange={(e) => setSaliencyOpacity(Number(e.currentTarget.value))} />
      </label>
      {saliencyOn && explaining && (
        <div aria-live="polite">
          {explainProgress ? (
            <>
              <progress data-testid="saliency-progress" max={explainProgress.total} value={explainProgress.done} aria-label={`${EXPLAIN_METHOD_LABELS[saliencyMethod]} progress`} /> {explainProgress.done} / {explainProgress.total} model calls{' '}
            </>
          ) : (
            'computing… '
          )}
          <button type="button" data-testid="saliency-cancel" onClick={cancelExplain}>
            Cancel
          </button>
        </div>
      )}
      {saliencyOn && explainStopped && !explaining && (
        <p className={explainStopped.cancelled ? 'viewer-hint' : 'viewer-error'} role={explainStopped.cancelled ? undefined : 'alert'} data-testid="saliency-stopped">
          {explainStopped.message}{' '}
          <button type="button" data-testid="saliency-rerun" onClick={rerunExplain}>
            Run again
          </button>
        </p>
      )}
      {ready && (
        <span data-testid="saliency-ready" data-method={ready.method} data-class-index={ready.classIndex} data-attributions={ready.attributions ? JSON.stringify(ready.attributions) : undefined}>
          {ready.evaluations} model evaluations ({EXPLAIN_METHOD_LABELS[ready.method]})
        </span>
      )}
    </section>
  );
}
