import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import type { Case } from '../../api/schemas.js';
import { ErrorMessage } from '../../app/error-message.js';

/** The test images of one confusion-matrix cell, with their thumbnails. */
export function MisclassifiedCases({ runId, actual, predicted, classes, onClose }: { runId: string; actual: number; predicted: number; classes: readonly string[]; onClose(): void }) {
  const [cases, setCases] = useState<Case[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setCases(null);
    setError(null);
    api.misclassified(runId, actual, predicted).then(
      (r) => live && setCases(r.cases),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [runId, actual, predicted]);
  const title = actual === predicted ? `${classes[actual]} predicted correctly` : `${classes[actual]} predicted as ${classes[predicted]}`;
  return (
    <div className="cases" data-testid="misclassified">
      <div className="cases-head">
        <strong>{title}</strong>
        <span className="muted">{cases ? `${cases.length} images` : ''}</span>
        <span className="spacer" />
        <button type="button" className="small" onClick={onClose}>
          Close
        </button>
      </div>
      {error !== null && <ErrorMessage error={error} title="The images could not be listed" />}
      {cases === null && error === null && <p className="muted">Loading images…</p>}
      <div className="thumb-grid">
        {cases?.map((c) => (
          <figure key={c.id} className="thumb" title={`${c.id}: ${c.label} → ${c.predicted}`}>
            <img src={c.thumbnailUrl} alt={`${c.id}, ${c.label} predicted as ${c.predicted}`} loading="lazy" width={64} height={64} />
            <figcaption>{c.id}</figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}
