import { DicomwebPanel } from './dicomweb-panel.js';
import { DisplayControls } from './display-controls.js';
import { ImageViewport } from './image-viewport.js';
import { useInferenceStore } from './inference-store.js';
import { ModelPanel } from './model-panel.js';
import { useOfflineShell } from './offline-shell.js';
import { OpenImages } from './open-images.js';
import { useAutoPredict } from './auto-predict.js';
import { PredictionPanel } from './prediction-panel.js';
import { SaliencyControls } from './saliency-controls.js';
import { SimilarCases } from './similar-cases.js';
import { StudyBrowser } from './study-browser.js';
import { TeachPanel } from './teach-panel.js';
import { useViewerStore } from './viewer-store.js';
import './viewer.css';

const OFFLINE_TEXT = { unsupported: 'no offline use in this browser', installing: 'preparing offline use…', ready: 'works offline', failed: 'offline use unavailable' } as const;

/** The on-device DICOM viewer: images are opened, decoded, windowed and inferred in this browser. */
export function ViewerPage() {
  useAutoPredict();
  const model = useInferenceStore((s) => s.model);
  const opened = useViewerStore((s) => s.images.length);
  const offline = useOfflineShell(`${model?.choice.name}@${model?.choice.version}:${opened}`);
  return (
    <div className="viewer">
      <aside className="viewer-side">
        <OpenImages />
        <DicomwebPanel />
        <StudyBrowser />
        <ModelPanel />
        <p className="viewer-hint" data-testid="offline-state" data-state={offline}>
          {OFFLINE_TEXT[offline]}
        </p>
      </aside>
      <section className="viewer-main" aria-label="Image">
        <DisplayControls />
        <ImageViewport />
      </section>
      <aside className="viewer-results">
        <PredictionPanel />
        <SaliencyControls />
        <SimilarCases />
        <TeachPanel />
      </aside>
    </div>
  );
}
