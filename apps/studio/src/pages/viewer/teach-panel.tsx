import { useState } from 'react';
import { useInferenceStore } from './inference-store.js';
import { labelSuggestions, useTeachStore } from './teach-store.js';
import { currentSlice, useViewerStore } from './viewer-store.js';

const percent = (p: number | null) => (p === null ? '—' : `${(p * 100).toFixed(0)}%`);

/**
 * Few-shot teaching: label opened images with a class (the bundle's or a new one), train a head on
 * the bundle's frozen features here, read its held-out accuracy, and save it as a new version.
 */
export function TeachPanel() {
  const viewer = useViewerStore();
  const current = currentSlice(viewer);
  const model = useInferenceStore((s) => s.model);
  const { labelled, training, result, error, saving, saved, label, unlabel, train, save } = useTeachStore();
  const [className, setClassName] = useState('');
  if (!model) return null;
  const here = current ? labelled.find((l) => l.slice.fileId === current.slice.fileId && l.slice.frame === current.slice.frame) : undefined;
  const counts = new Map<string, number>();
  for (const l of labelled) counts.set(l.label, (counts.get(l.label) ?? 0) + 1);
  return (
    <section className="viewer-teach" aria-labelledby="viewer-teach-title" data-testid="teach">
      <h3 id="viewer-teach-title">Teach</h3>
      {current && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const name = className.trim();
            if (name) label(current.slice, name);
          }}
        >
          <input data-testid="teach-class" list="viewer-teach-classes" placeholder="class of this image" value={className} onChange={(e) => setClassName(e.currentTarget.value)} maxLength={64} />
          <datalist id="viewer-teach-classes">
            {labelSuggestions(labelled).map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <button type="submit" data-testid="teach-label" disabled={!className.trim()}>
            Label image
          </button>
          {here && (
            <button type="button" onClick={() => unlabel(current.slice)}>
              Unlabel ({here.label})
            </button>
          )}
        </form>
      )}
      <p data-testid="teach-counts">
        {labelled.length === 0 ? 'No labelled images yet.' : [...counts].map(([c, n]) => `${c}: ${n}`).join(' · ')}
      </p>
      <button type="button" data-testid="teach-train" disabled={training || counts.size < 2} onClick={() => void train()}>
        {training ? 'Training…' : `Train a head on ${labelled.length} image${labelled.length === 1 ? '' : 's'}`}
      </button>
      {result && (
        <table data-testid="teach-result">
          <caption>
            held-out accuracy {percent(result.heldOutAccuracy)} ({result.heldOut} of {result.examples.length} images held out)
          </caption>
          <tbody>
            {result.classes.map((c) => (
              <tr key={c} data-testid="teach-class-accuracy">
                <td>{c}</td>
                <td>{percent(result.perClassAccuracy[c] ?? null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result && (
        <button type="button" data-testid="teach-save" disabled={saving} onClick={() => void save()}>
          {saving ? 'Saving…' : `Save as a new version of ${model.choice.name}`}
        </button>
      )}
      {saved && (
        <p data-testid="teach-saved">
          Saved {saved.name} v{saved.version}
        </p>
      )}
      {error && (
        <p role="alert" className="viewer-error">
          {error}
        </p>
      )}
    </section>
  );
}
