import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { DataSummary, Sample } from '../../api/schemas.js';
import { ErrorMessage } from '../../app/error-message.js';
import { useDataStore } from './data-store.js';
import { EmbeddingMap } from './embedding-map.js';

/** /data?config=P: a pipeline's dataset — class counts per split, sample thumbnails, the embedding map. */
export function DataPage() {
  const [search, setSearch] = useSearchParams();
  const { configs, config, summary, loading, error, loadConfigs, open } = useDataStore();
  const wanted = search.get('config') ?? configs?.[0]?.path ?? null;
  useEffect(() => {
    void loadConfigs();
  }, [loadConfigs]);
  useEffect(() => {
    if (wanted) void open(wanted);
  }, [wanted, open]);

  return (
    <section aria-labelledby="data-title">
      <div className="toolbar">
        <h1 id="data-title">Data</h1>
        <select value={config ?? ''} onChange={(e) => setSearch({ config: e.target.value })} aria-label="Pipeline">
          {configs?.map((c) => (
            <option key={c.path} value={c.path}>
              {c.path}
            </option>
          ))}
        </select>
        {loading && <span className="muted">Reading the dataset… (a large dataset takes a few seconds)</span>}
      </div>
      {error !== null && <ErrorMessage error={error} title={`The dataset of ${config} could not be read`} onRetry={() => config && void open(config)} />}
      {summary && <DataSummaryView summary={summary} />}
    </section>
  );
}

function DataSummaryView({ summary }: { summary: DataSummary }) {
  const [picked, setPicked] = useState<Sample | null>(null);
  // Every point of the map is a train sample, shown or not among the thumbnails.
  const byId = new Map<string, Sample>(summary.embedding.map((p) => [p.id, { id: p.id, label: p.label, split: 'train', thumbnailUrl: p.thumbnailUrl }]));
  const max = Math.max(1, ...summary.splits.flatMap((s) => s.counts));
  return (
    <>
      <section className="panel">
        <h2>Class counts per split</h2>
        <table className="data-table" data-testid="class-counts">
          <thead>
            <tr>
              <th>class</th>
              {summary.splits.map((s) => (
                <th key={s.split}>{s.split}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {summary.classes.map((c, i) => (
              <tr key={c}>
                <td>{c}</td>
                {summary.splits.map((s) => (
                  <td key={s.split}>
                    <div className="bar-cell">
                      <span className="bar-value">{s.counts[i] ?? 0}</span>
                      <span className="bar" style={{ width: `${((s.counts[i] ?? 0) / max) * 80}%` }} />
                    </div>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <div className="two-columns">
        <section className="panel">
          <h2>Embedding map</h2>
          <p className="muted" data-testid="embedding-of">
            {summary.embeddingOf.kind === 'model'
              ? `PCA-2 of the features of ${summary.embeddingOf.name} v${summary.embeddingOf.version}, the pipeline's newest model`
              : 'PCA-2 of the preprocessed pixels: no model of this pipeline is registered yet'}
          </p>
          <EmbeddingMap points={summary.embedding} classes={summary.classes} onPick={(id) => setPicked(byId.get(id) ?? null)} />
        </section>
        <section className="panel">
          <h2>{picked ? `Sample ${picked.id}` : 'Samples'}</h2>
          {picked && (
            <figure className="picked-sample" data-testid="picked-sample">
              <img src={picked.thumbnailUrl} alt={`${picked.id}, ${picked.label}`} width={128} height={128} />
              <figcaption>
                {picked.label} · {picked.split}{' '}
                <button type="button" className="small" onClick={() => setPicked(null)}>
                  Close
                </button>
              </figcaption>
            </figure>
          )}
          <div className="thumb-grid" data-testid="sample-grid">
            {summary.samples.map((s) => (
              <button key={s.id} type="button" className="thumb" onClick={() => setPicked(s)} title={`${s.label} · ${s.split} · ${s.id}`}>
                <img src={s.thumbnailUrl} alt={`${s.id}, ${s.label}`} loading="lazy" width={56} height={56} />
              </button>
            ))}
          </div>
        </section>
      </div>
    </>
  );
}
