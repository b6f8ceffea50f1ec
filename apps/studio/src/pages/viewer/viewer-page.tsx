import { DisplayControls } from './display-controls.js';
import { ImageViewport } from './image-viewport.js';
import { ModelPanel } from './model-panel.js';
import { OpenImages } from './open-images.js';
import { PredictionPanel, SaliencyControls, SimilarCases, useAutoPredict } from './prediction-panel.js';
import { StudyBrowser } from './study-browser.js';
import { TeachPanel } from './teach-panel.js';
import './viewer.css';

/** The on-device DICOM viewer: images are opened, decoded, windowed and inferred in this browser. */
export function ViewerPage() {
  useAutoPredict();
  return (
    <div className="viewer">
      <aside className="viewer-side">
        <OpenImages />
        <StudyBrowser />
        <ModelPanel />
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
