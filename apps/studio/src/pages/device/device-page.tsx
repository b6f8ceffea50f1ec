import { useEffect } from 'react';
import { useDeviceStore } from './device-store.js';

/** This device: the compute backend and the kernel self-check (every kernel against its CPU oracle). */
export function DevicePage() {
  const { status, backend, adapter, fallbackReason, checking, kernels, probe, checkKernels } = useDeviceStore();
  useEffect(() => {
    void probe();
  }, [probe]);

  if (status !== 'ready') return <section aria-busy="true">Looking for a WebGPU adapter…</section>;
  const failed = kernels.filter((k) => !k.ok).length;
  return (
    <section aria-labelledby="device-title">
      <h1 id="device-title">This device</h1>
      <p className="muted">Computer vision on this device: WebGPU where it exists, the CPU where it does not.</p>
      <dl>
        <dt>Backend</dt>
        <dd data-testid="backend">{backend}</dd>
        <dt>Adapter</dt>
        <dd data-testid="adapter">{adapter ? [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' / ') : fallbackReason}</dd>
      </dl>
      <button type="button" onClick={() => void checkKernels()} disabled={checking}>
        {checking ? 'Checking kernels…' : 'Check kernels'}
      </button>
      {kernels.length > 0 && (
        <table>
          <caption data-testid="kernel-summary">
            {checking ? `${kernels.length} kernels checked…` : failed === 0 ? `all ${kernels.length} kernels agree with the CPU reference` : `${failed} of ${kernels.length} kernels disagree`}
          </caption>
          <thead>
            <tr>
              <th>kernel</th>
              <th>backends</th>
              <th>max rel. error</th>
              <th>tolerance</th>
              <th>verdict</th>
            </tr>
          </thead>
          <tbody>
            {kernels.map((k) => (
              <tr key={k.name}>
                <td>{k.name}</td>
                <td>{k.backends.join(', ')}</td>
                <td>{k.maxRelError.toExponential(2)}</td>
                <td>{k.tolerance.toExponential(0)}</td>
                <td className={k.ok ? 'ok' : 'failed'}>{k.ok ? 'ok' : 'failed'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
