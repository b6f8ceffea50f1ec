import { useEffect } from 'react';
import { useLiveStore } from './live-store.js';

/** Where the frames come from: a camera (with its picker) or a video file; and the promise that none of them leaves the page. */
export function SourcePanel() {
  const { cameras, cameraId, status, refreshCameras, setCamera, start } = useLiveStore();
  useEffect(() => {
    void refreshCameras();
  }, [refreshCameras]);
  const busy = status === 'starting';
  const pick = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (file) void start({ kind: 'file', file });
  };
  return (
    <section className="live-source" aria-labelledby="live-source-title">
      <h3 id="live-source-title">Source</h3>
      <label className="live-field">
        Camera
        <select data-testid="camera-picker" value={cameraId ?? ''} onChange={(e) => setCamera(e.currentTarget.value || null)} disabled={busy}>
          {cameras.length === 0 && <option value="">default camera</option>}
          {cameras.map((c) => (
            <option key={c.deviceId} value={c.deviceId}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <div className="live-buttons">
        <button type="button" className="primary" data-testid="start-camera" disabled={busy} onClick={() => void start({ kind: 'camera', deviceId: cameraId })}>
          Start camera
        </button>
        <label className={`live-open ${busy ? 'disabled' : ''}`}>
          Open video…
          <input data-testid="video-file-input" type="file" accept="video/*,.webm,.mp4,.mov,.mkv,.ogv" hidden disabled={busy} onChange={(e) => pick(e.currentTarget)} />
        </label>
      </div>
      <p className="muted small">or drop a video file anywhere on the page.</p>
      <p className="live-privacy" data-testid="live-privacy">
        Frames stay in this browser: they are read, inferred and charted on this machine. Nothing is uploaded or recorded.
      </p>
    </section>
  );
}
