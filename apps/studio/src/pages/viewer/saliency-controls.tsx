import { useInferenceStore } from './inference-store.js';

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
