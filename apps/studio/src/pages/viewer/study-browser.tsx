import { useViewerStore } from './viewer-store.js';

/** The opened studies and their series; choosing a series shows it. */
export function StudyBrowser() {
  const studies = useViewerStore((s) => s.studies);
  const seriesUid = useViewerStore((s) => s.seriesUid);
  const selectSeries = useViewerStore((s) => s.selectSeries);
  if (studies.length === 0) return null;
  return (
    <nav className="viewer-studies" aria-label="Studies" data-testid="study-list">
      {studies.map((study, s) => (
        <section key={study.uid} data-testid="study">
          <h3>{study.description || `Study ${s + 1}`}</h3>
          <ul>
            {study.series.map((series) => (
              <li key={series.uid}>
                <button type="button" data-testid="series" aria-pressed={series.uid === seriesUid} onClick={() => selectSeries(series.uid)}>
                  {series.modality || '—'} · {series.description || `series ${series.number}`} · {series.slices.length} image{series.slices.length === 1 ? '' : 's'}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
