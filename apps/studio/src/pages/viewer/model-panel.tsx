import { useEffect } from 'react';
import { useInferenceStore } from './inference-store.js';
import { choiceLabel } from './model-choices.js';
import { cacheKey } from './bundle-cache.js';

const CACHE_TEXT = { cached: 'cached', downloading: 'downloading…', stale: 'stale copy — downloading…' } as const;

/** The model picker, the bundle cache badge and where inference runs. */
export function ModelPanel() {
  const { choices, choicesError, selected, cacheState, loading, loadError, model, compute, loadChoices, selectModel, setCompute } = useInferenceStore();
  useEffect(() => {
    void loadChoices();
  }, [loadChoices]);
  const value = selected ? cacheKey(selected) : '';
  return (
    <section className="viewer-model" aria-labelledby="viewer-model-title">
      <h3 id="viewer-model-title">Model</h3>
      {choices.length === 0 && !choicesError && <p>No registered models yet: train one (`cvf train`) to infer here.</p>}
      {choicesError && <p className="viewer-warning">{choicesError}</p>}
      {choices.length > 0 && (
        <select
          data-testid="model-picker"
          value={value}
          onChange={(e) => {
            const choice = choices.find((c) => cacheKey(c) === e.currentTarget.value);
            if (choice) void selectModel(choice);
          }}
        >
          {choices.map((c) => (
            <option key={cacheKey(c)} value={cacheKey(c)}>
              {choiceLabel(c)}
            </option>
          ))}
        </select>
      )}
      <label>
        Compute{' '}
        <select data-testid="compute-preference" value={compute} onChange={(e) => void setCompute(e.currentTarget.value as typeof compute)}>
          <option value="auto">WebGPU when available</option>
          <option value="cpu">CPU (wasm)</option>
        </select>
      </label>
      {cacheState && (
        <span className={`viewer-badge viewer-badge-${cacheState}`} data-testid="bundle-cache-state" data-state={cacheState}>
          {CACHE_TEXT[cacheState]}
          {model ? ` · ${(model.bytes / 1024).toFixed(0)} KiB` : ''}
        </span>
      )}
      {loading && <p aria-live="polite">Loading the model…</p>}
      {loadError && (
        <p role="alert" className="viewer-error">
          {loadError}
        </p>
      )}
      {model && (
        <dl className="viewer-backend">
          <dt>Runs on</dt>
          <dd data-testid="inference-backend" title={model.fallbackReason ?? 'extractor, PCA and case index on the WebGPU Device'}>
            {model.deviceBackend}
          </dd>
          <dt>ONNX Runtime</dt>
          <dd data-testid="onnx-providers">{model.providers.length > 0 ? model.providers.join(', ') : 'not used by this bundle'}</dd>
          <dt>Similar cases</dt>
          <dd data-testid="search-threads" data-threads={model.searchThreads} title={model.searchFallback ?? 'Web Workers search the case index’s shared memory: the same cases as one thread'}>
            {model.searchThreads > 1 ? `${model.searchThreads} threads` : '1 thread'}
          </dd>
        </dl>
      )}
    </section>
  );
}
