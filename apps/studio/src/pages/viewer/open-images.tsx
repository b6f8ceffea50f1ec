import { useEffect, useState } from 'react';
import { droppedFiles } from './dropped-files.js';
import { useViewerStore } from './viewer-store.js';

/** Hidden files of a folder (.DS_Store, ._*) are not images. */
const isVisible = (file: File) => !file.name.startsWith('.');

/** The file pickers, and the whole page as a drop target for files and folders. */
export function OpenImages() {
  const openFiles = useViewerStore((s) => s.openFiles);
  const opening = useViewerStore((s) => s.opening);
  const failures = useViewerStore((s) => s.failures);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const over = (event: DragEvent) => {
      if (!event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault();
      setDragging(true);
    };
    const leave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!event.dataTransfer) return;
      event.preventDefault();
      setDragging(false);
      void droppedFiles(event.dataTransfer).then((files) => openFiles(files.filter(isVisible)));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [openFiles]);

  const pick = (input: HTMLInputElement) => {
    const files = Array.from(input.files ?? []).filter(isVisible);
    input.value = '';
    if (files.length > 0) void openFiles(files);
  };

  return (
    <section className="viewer-open" aria-label="Open images">
      <label className="viewer-button">
        Open files…
        <input data-testid="dicom-file-input" type="file" multiple accept=".dcm,application/dicom,image/png,image/jpeg,image/webp,*/*" hidden onChange={(e) => pick(e.currentTarget)} />
      </label>
      <label className="viewer-button">
        Open folder…
        <input data-testid="dicom-folder-input" type="file" multiple hidden ref={(input) => input?.setAttribute('webkitdirectory', '')} onChange={(e) => pick(e.currentTarget)} />
      </label>
      <p className="viewer-hint">{dragging ? 'Drop to open' : 'or drop DICOM, PNG or JPEG files or a folder anywhere on the page. Nothing is uploaded.'}</p>
      {opening > 0 && <p aria-live="polite">Opening {opening} file{opening === 1 ? '' : 's'}…</p>}
      {failures.length > 0 && (
        <ul className="viewer-failures" data-testid="open-failures">
          {failures.map((f, i) => (
            <li key={i}>
              <strong>{f.fileName}</strong>: {f.code} — {f.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
