import { seriesColor } from './metric-chart.js';

export interface Axis {
  readonly name: string;
  /** One value per line; numbers are placed on a linear scale, other values as evenly spaced categories. */
  readonly values: readonly unknown[];
}

const HEIGHT = 240;
const PAD_Y = 28;
const AXIS_GAP = 150;

/** Parallel coordinates: one vertical axis per differing param (and the score), one polyline per run. */
export function ParallelCoordinates({ axes, labels }: { axes: readonly Axis[]; labels: readonly string[] }) {
  const width = Math.max(2, axes.length) * AXIS_GAP;
  const x = (i: number) => AXIS_GAP / 2 + i * AXIS_GAP;
  const scales = axes.map(scaleOf);
  const y = (axis: number, value: unknown) => PAD_Y + (1 - scales[axis]!.position(value)) * (HEIGHT - 2 * PAD_Y);
  return (
    <figure className="chart" data-testid="parallel-coordinates">
      <figcaption>Parallel coordinates (higher on an axis = larger value)</figcaption>
      <svg viewBox={`0 0 ${width} ${HEIGHT}`} width={width} height={HEIGHT} role="img" aria-label="parallel coordinates of the compared runs">
        {axes.map((axis, i) => (
          <g key={axis.name}>
            <line x1={x(i)} x2={x(i)} y1={PAD_Y} y2={HEIGHT - PAD_Y} stroke="#8c959f" />
            <text x={x(i)} y={14} textAnchor="middle" className="axis-label">
              {axis.name}
            </text>
            <text x={x(i) + 4} y={PAD_Y + 4} className="axis-tick">
              {scales[i]!.top}
            </text>
            <text x={x(i) + 4} y={HEIGHT - PAD_Y} className="axis-tick">
              {scales[i]!.bottom}
            </text>
          </g>
        ))}
        {labels.map((label, run) => (
          <polyline key={label} fill="none" stroke={seriesColor(run)} strokeWidth={2} points={axes.map((axis, i) => `${x(i)},${y(i, axis.values[run])}`).join(' ')}>
            <title>{label}</title>
          </polyline>
        ))}
      </svg>
    </figure>
  );
}

function scaleOf(axis: Axis): { position(value: unknown): number; top: string; bottom: string } {
  const numbers = axis.values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (numbers.length === axis.values.length && numbers.length > 0) {
    const min = Math.min(...numbers);
    const max = Math.max(...numbers);
    return { position: (v) => (max === min ? 0.5 : ((v as number) - min) / (max - min)), top: short(max), bottom: short(min) };
  }
  const categories = [...new Set(axis.values.map((v) => JSON.stringify(v)))].sort();
  return {
    position: (v) => (categories.length === 1 ? 0.5 : categories.indexOf(JSON.stringify(v)) / (categories.length - 1)),
    top: clip(categories.at(-1) ?? ''),
    bottom: clip(categories[0] ?? ''),
  };
}

const short = (n: number) => (Math.abs(n) >= 100 || Number.isInteger(n) ? String(n) : n.toPrecision(3));

const clip = (text: string) => (text.length > 18 ? `${text.slice(0, 17)}…` : text);
