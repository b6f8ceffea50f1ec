import type { OpenedImageInfo } from '../../workers/decode-protocol.js';
import type { UserWindow } from './render-frame.js';
import { currentSeries, useViewerStore } from './viewer-store.js';

/**
 * The corner text over the image: what it is (modality, size, window, slice and frame), never who
 * it is — the patient's name, ID and birth date appear only while the user asks to show them.
 */
export function SliceOverlay({ image, frame, window, presetName }: { image: OpenedImageInfo; frame: number; window: UserWindow | null; presetName: string | null }) {
  const showPhi = useViewerStore((s) => s.showPhi);
  const sliceIndex = useViewerStore((s) => s.sliceIndex);
  const series = useViewerStore(currentSeries);
  const count = series?.slices.length ?? 1;
  return (
    <div className="viewer-overlay" data-testid="slice-overlay">
      <div className="viewer-overlay-top-left">
        <div data-testid="overlay-modality">{image.modality || image.kind.toUpperCase()}</div>
        <div data-testid="overlay-size">
          {image.columns} × {image.rows}
          {image.kind === 'dicom' ? ` · ${image.bitsStored} bit · ${image.photometric}` : ''}
        </div>
      </div>
      <div className="viewer-overlay-top-right">
        {showPhi && image.kind === 'dicom' && (
          <div data-testid="overlay-phi">
            <div>{image.patient.name || '(no name)'}</div>
            <div>ID {image.patient.id || '—'}</div>
            <div>born {image.patient.birthDate || '—'}</div>
          </div>
        )}
      </div>
      <div className="viewer-overlay-bottom-left">
        <div data-testid="overlay-slice">
          image {sliceIndex + 1} / {count}
        </div>
        {image.frames > 1 && (
          <div data-testid="overlay-frame">
            frame {frame + 1} / {image.frames}
          </div>
        )}
      </div>
      <div className="viewer-overlay-bottom-right">
        {window && (
          <div data-testid="overlay-window">
            W {Math.round(window.width)} L {Math.round(window.center)}
            {presetName ? ` (${presetName})` : ''}
          </div>
        )}
      </div>
    </div>
  );
}
