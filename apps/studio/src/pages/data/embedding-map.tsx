import type { EmbeddingPoint } from '../../api/schemas.js';
import { seriesColor } from '../runs/metric-chart.js';

const SIZE = 420;
const PAD = 16;

/** The embedding map (PCA-2 of the samples) as a scatter coloured by label; a click picks the point's image. */
export function EmbeddingMap({ points, classes, onPick }: { points: readonly EmbeddingPoint[]; classes: readonly string[]; onPick(id: string): void }) {
  if (points.length === 0) return <p className="muted">No embedding for this dataset.</p>;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => PAD + ((x - minX) / (maxX - minX || 1)) * (SIZE - 2 * PAD);
  const sy = (y: number) => SIZE - PAD - ((y - minY) / (maxY - minY || 1)) * (SIZE - 2 * PAD);
  return (
    <figure className="chart embedding" data-testid="embedding-map">
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} width={SIZE} height={SIZE} role="img" aria-label="embedding map coloured by label">
        <rect x={0} y={0} width={SIZE} height={SIZE} fill="#fbfbfc" stroke="#d0d7de" />
        {points.map((p) => (
          <circle key={p.id} cx={sx(p.x)} cy={sy(p.y)} r={4} fill={seriesColor(classes.indexOf(p.label))} fillOpacity={0.8} onClick={() => onPick(p.id)} className="point">
            <title>{`${p.label}: ${p.id}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="legend">
        {classes.map((c, i) => (
          <span key={c}>
            <span className="swatch" style={{ background: seriesColor(i) }} /> {c}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
