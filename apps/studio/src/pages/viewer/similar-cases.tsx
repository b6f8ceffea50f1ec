import { useEffect, useState } from 'react';
import { sliceKey, useInferenceStore } from './inference-store.js';
import { ThumbnailCanvas } from './thumbnail-canvas.js';
import { currentSlice, useViewerStore } from './viewer-store.js';

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
