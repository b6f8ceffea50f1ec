import { presetNames, windowPreset } from '@cvf/medical';
import { useEffect } from 'react';
import { currentSeries, currentSlice, useViewerStore } from './viewer-store.js';

/** Window presets, the data set's own window, PHI, cine and view reset for the series on screen. */
export function DisplayControls() {
  const state = useViewerStore();
  const { preset, showPhi, cine, cineFps, setWindow, setShowPhi, setCine, resetView } = state;
  const current = currentSlice(state);
  const series = currentSeries(state);
  useCine();
  if (!current || !series) return null;
  const { image } = current;
  const presets = image.display ? presetNames(image.modality) : [];
  const voi = image.display?.voi;
  return (
    <div className="viewer-controls" role="toolbar" aria-label="Display">
      {image.display && (
        <label>
          Window{' '}
          <select
            data-testid="window-preset"
            value={preset ?? (state.window ? 'custom' : 'dataset')}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (value === 'dataset') setWindow(null);
              else if (value !== 'custom') setWindow(windowPreset(image.modality, value), value);
            }}
          >
            <option value="dataset">{voi?.kind === 'lut' ? 'VOI LUT of the file' : voi?.kind === 'window' ? `file (${voi.name ?? 'window 1'})` : 'min–max'}</option>
            {state.window && !preset && <option value="custom">custom</option>}
            {presets.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      )}
      {series.slices.length > 1 && (
        <>
          <button type="button" data-testid="cine-toggle" aria-pressed={cine} onClick={() => setCine(!cine)}>
            {cine ? 'Stop' : 'Play'}
          </button>
          <label>
            <input type="number" min={1} max={60} value={cineFps} onChange={(e) => setCine(cine, Math.min(60, Math.max(1, Number(e.currentTarget.value) || 1)))} /> fps
          </label>
        </>
      )}
      <button type="button" onClick={() => (resetView(), setWindow(null))}>
        Reset view
      </button>
      {image.kind === 'dicom' && (
        <label title="Patient name, ID and birth date">
          <input type="checkbox" data-testid="phi-toggle" checked={showPhi} onChange={(e) => setShowPhi(e.currentTarget.checked)} /> Show patient
        </label>
      )}
      {image.warnings.length > 0 && <span className="viewer-warning" title={image.warnings.join('\n')}>⚠ {image.warnings.length}</span>}
    </div>
  );
}

/** Cine: steps through the series at the chosen rate, looping, while playing. */
function useCine(): void {
  const cine = useViewerStore((s) => s.cine);
  const fps = useViewerStore((s) => s.cineFps);
  useEffect(() => {
    if (!cine) return;
    const timer = setInterval(() => {
      const state = useViewerStore.getState();
      const count = currentSeries(state)?.slices.length ?? 1;
      state.setSlice((state.sliceIndex + 1) % count);
    }, 1000 / fps);
    return () => clearInterval(timer);
  }, [cine, fps]);
}
