import { useLiveStore, type LiveStatus } from './live-store.js';

const STATUS_TEXT: Readonly<Record<LiveStatus, string>> = { idle: 'stopped', starting: 'starting…', running: 'live', paused: 'paused', ended: 'ended' };
const percent = (p: number) => `${(p * 100).toFixed(1)}%`;

/** The playing video with the current label over it, and the play controls. */
export function LiveStage() {
  const { status, source, prediction, fps, attach, togglePause, stop } = useLiveStore();
  const playing = status === 'running' || status === 'paused' || status === 'ended';
  return (
    <section className="live-stage" aria-label="Video">
      <div className="live-screen">
        <video ref={attach} data-testid="live-video" muted playsInline aria-label={source ? `video of ${source.name}` : 'video'} />
        {playing && prediction && (
          <div className="live-overlay" data-testid="live-overlay">
            <strong>{prediction.label}</strong> {percent(prediction.probabilities[prediction.classIndex]!)}
            {fps !== null && <span className="live-overlay-fps"> · {fps.toFixed(1)} fps</span>}
          </div>
        )}
        {!playing && <p className="live-empty">{status === 'starting' ? 'Opening the source…' : 'Start a camera or open a video file to infer its frames here.'}</p>}
      </div>
      <div className="toolbar live-controls">
        <span className={`status live-status-${status}`} data-testid="live-status" data-status={status}>
          {STATUS_TEXT[status]}
        </span>
        {source && <span className="muted small live-source-name">{source.name}</span>}
        <span className="spacer" />
        <button type="button" data-testid="pause" disabled={!playing} onClick={togglePause} title="Space">
          {status === 'paused' ? 'Resume' : status === 'ended' ? 'Play again' : 'Pause'} <kbd>Space</kbd>
        </button>
        <button type="button" data-testid="stop" disabled={!playing} onClick={stop} title="Escape">
          Stop <kbd>Esc</kbd>
        </button>
      </div>
    </section>
  );
}
