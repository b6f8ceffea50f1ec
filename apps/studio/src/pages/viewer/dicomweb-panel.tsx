import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import { dicomwebInstancesSchema, dicomwebSeriesListSchema, dicomwebStudiesSchema, dicomwebUrls, type DicomwebSeries, type DicomwebStudy } from './dicomweb-schema.js';
import { useViewerStore } from './viewer-store.js';

async function getJson<T>(url: string, schema: { parse(value: unknown): T }): Promise<T> {
  const response = await fetch(url);
  const body = (await response.json()) as unknown;
  if (!response.ok) throw new Error((body as { error?: { message?: string } }).error?.message ?? `${url} answered ${response.status}`);
  return schema.parse(body);
}

/**
 * Studies of the PACS the studio was started with (`--dicomweb`), through the studio's proxy: pick
 * a study, then a series; its instances are fetched (WADO-RS) and opened like dropped files.
 */
export function DicomwebPanel() {
  const openFiles = useViewerStore((s) => s.openFiles);
  const [server, setServer] = useState<string | null>(null);
  const [studies, setStudies] = useState<DicomwebStudy[] | null>(null);
  const [study, setStudy] = useState<string | null>(null);
  const [series, setSeries] = useState<DicomwebSeries[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.info().then(
      (info) => setServer(info.dicomweb ?? null),
      () => setServer(null),
    );
  }, []);
  if (!server) return null;

  const run = async (what: string, task: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await task();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const listStudies = () => run('studies', async () => setStudies((await getJson(dicomwebUrls.studies(), dicomwebStudiesSchema)).studies));
  const listSeries = (uid: string) =>
    run('series', async () => {
      setStudy(uid);
      setSeries((await getJson(dicomwebUrls.series(uid), dicomwebSeriesListSchema)).series);
    });
  const openSeries = (uid: string) =>
    run('images', async () => {
      const { instances } = await getJson(dicomwebUrls.instances(study!, uid), dicomwebInstancesSchema);
      const files = await Promise.all(
        instances.map(async (instance, i) => {
          const response = await fetch(dicomwebUrls.instance(study!, uid, instance.sopInstanceUID));
          if (!response.ok) throw new Error(`instance ${i + 1} of ${instances.length}: the PACS answered ${response.status}`);
          return new File([await response.arrayBuffer()], `pacs-${i + 1}.dcm`, { type: 'application/dicom' });
        }),
      );
      await openFiles(files);
    });

  return (
    <section className="viewer-dicomweb" aria-labelledby="viewer-dicomweb-title" data-testid="dicomweb">
      <h3 id="viewer-dicomweb-title">PACS</h3>
      <button type="button" data-testid="dicomweb-studies" disabled={busy !== null} onClick={() => void listStudies()}>
        {busy === 'studies' ? 'Searching…' : 'List studies'}
      </button>
      {studies && (
        <ul>
          {studies.map((s) => (
            <li key={s.studyInstanceUID}>
              <button type="button" data-testid="dicomweb-study" aria-pressed={s.studyInstanceUID === study} onClick={() => void listSeries(s.studyInstanceUID)}>
                {s.date || '—'} · {s.modalities.join('/') || '—'} · {s.description || 'study'}
                {s.instances !== null ? ` · ${s.instances} images` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
      {series && (
        <ul>
          {series.map((s) => (
            <li key={s.seriesInstanceUID}>
              <button type="button" data-testid="dicomweb-series" disabled={busy !== null} onClick={() => void openSeries(s.seriesInstanceUID)}>
                Open {s.modality} {s.description || `series ${s.number ?? ''}`}
                {s.instances !== null ? ` (${s.instances})` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
      {busy === 'images' && <p aria-live="polite">Fetching images…</p>}
      {error && (
        <p role="alert" className="viewer-error">
          {error}
        </p>
      )}
    </section>
  );
}
