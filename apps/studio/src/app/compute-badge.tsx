import { useEffect } from 'react';
import { Link } from 'react-router';
import { useDeviceStore } from '../pages/device/device-store.js';

/** This browser's compute: the WebGPU adapter, or CPU/wasm and why. Links to the kernel check. */
export function ComputeBadge() {
  const { status, backend, adapter, fallbackReason, probe } = useDeviceStore();
  useEffect(() => {
    void probe();
  }, [probe]);
  if (status !== 'ready') return <span className="badge muted">probing compute…</span>;
  const gpu = backend === 'webgpu';
  const label = gpu ? `WebGPU · ${adapter?.description || adapter?.vendor || 'adapter'}` : 'CPU / wasm';
  const title = gpu ? [adapter?.vendor, adapter?.architecture, adapter?.description].filter(Boolean).join(' / ') : (fallbackReason ?? 'no WebGPU adapter');
  return (
    <Link to="/device" className={`badge ${gpu ? 'badge-gpu' : 'badge-cpu'}`} title={`${title} — open the kernel check`} data-testid="compute-badge">
      {label}
      {!gpu && fallbackReason && <span className="badge-reason"> — {fallbackReason}</span>}
    </Link>
  );
}
