import { useInferenceStore } from '../viewer/inference-store.js';

/** Where this page's frames are inferred: the WebGPU device, or the CPU with WebAssembly and why, and ONNX Runtime's execution providers. */
export function LiveComputeBadge() {
  const { model, loading, loadError } = useInferenceStore();
  if (!model) return <span className="badge" data-testid="live-compute" data-backend="">{loading ? 'loading the model…' : loadError ? 'no model: it failed to load' : 'no model loaded'}</span>;
  const gpu = model.deviceBackend === 'webgpu';
  const onnx = model.providers.length > 0 ? ` · ONNX Runtime ${[...new Set(model.providers)].join(', ')}` : '';
  const why = gpu ? 'preprocessing, features, PCA and the case index on the WebGPU device' : (model.fallbackReason ?? 'no WebGPU adapter');
  return (
    <span className={`badge ${gpu ? 'badge-gpu' : 'badge-cpu'}`} data-testid="live-compute" data-backend={model.deviceBackend} title={why}>
      {gpu ? 'WebGPU' : 'CPU / wasm'}
      {onnx}
      {!gpu && <span className="badge-reason"> — {why}</span>}
    </span>
  );
}
