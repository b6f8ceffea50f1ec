import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { AdapterDescription } from '@cvf/core';

interface Compute {
  status: 'idle' | 'probing' | 'ready';
  backend: string | null;
  adapter: AdapterDescription | null;
  fallbackReason: string | null;
}

/** This browser's compute: the WebGPU adapter, or CPU/wasm and why. Links to the kernel check. */
export function ComputeBadge() {
  const [compute, setCompute] = useState<Compute | null>(null);
  useEffect(() => {
    let live = true;
    let unsubscribe = () => {};
    // The probe parses @cvf/core's device code and wakes the GPU (about 0.8 s of main thread on a
    // busy CPU, measured with bench/studio): it starts once the page has had time to show its own
    // data, at the next idle moment after 1.5 s.
    let idle = 0;
    const delay = window.setTimeout(() => (idle = requestIdleCallback(() => void probe(), { timeout: 3000 })), 1500);
    const probe = async () => {
      const { useDeviceStore } = await import('../pages/device/device-store.js');
      if (!live) return;
      const update = () => {
        const { status, backend, adapter, fallbackReason } = useDeviceStore.getState();
        setCompute({ status, backend, adapter, fallbackReason });
      };
      unsubscribe = useDeviceStore.subscribe(update);
      update();
      void useDeviceStore.getState().probe();
    };
    return () => {
      live = false;
      window.clearTimeout(delay);
      cancelIdleCallback(idle);
      unsubscribe();
    };
  }, []);
  if (compute?.status !== 'ready') return <span className="badge muted">probing compute…</span>;
  const { backend, adapter, fallbackReason } = compute;
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
