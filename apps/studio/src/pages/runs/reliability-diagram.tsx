import type { ReliabilityBin } from '../../api/schemas.js';

const SIZE = 220;
const PAD = 34;

/** Reliability diagram: accuracy against confidence per bin; the diagonal is perfect calibration. Bar width follows the bin, opacity its count. */
export function ReliabilityDiagram({ bins }: { bins: readonly ReliabilityBin[] }) {
  const inner = SIZE - 2 * PAD;
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  const x = (v: number) => PAD + v * inner;
  const y = (v: number) => SIZE - PAD - v * inner;
  return (
    <figure className="chart reliability">
      <figcaption>Reliability (test)</figcaption>
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} width={SIZE} height={SIZE} role="img" aria-label="reliability diagram: accuracy per confidence bin">
        <rect x={PAD} y={PAD} width={inner} height={inner} fill="none" stroke="#d0d7de" />
        <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="#8c959f" strokeDasharray="4 3" />
        {bins.map((bin, i) =>
          bin.accuracy === null || bin.count === 0 ? null : (
            <rect key={i} x={x(bin.lower) + 0.5} y={y(bin.accuracy)} width={Math.max(1, (bin.upper - bin.lower) * inner - 1)} height={bin.accuracy * inner} fill="#2563eb" fillOpacity={0.25 + 0.75 * (bin.count / maxCount)}>
              <title>{`${bin.lower.toFixed(2)}–${bin.upper.toFixed(2)}: accuracy ${bin.accuracy.toFixed(3)}, confidence ${bin.confidence?.toFixed(3) ?? '—'}, ${bin.count} images`}</title>
            </rect>
          ),
        )}
        {[0, 0.5, 1].map((tick) => (
          <g key={tick} className="axis-tick">
            <text x={x(tick)} y={SIZE - PAD + 11} textAnchor="middle">
              {tick}
            </text>
            <text x={PAD - 4} y={y(tick) + 3} textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        <text x={SIZE / 2} y={SIZE - 4} textAnchor="middle" className="axis-label">
          confidence
        </text>
        <text x={9} y={SIZE / 2} textAnchor="middle" className="axis-label" transform={`rotate(-90 9 ${SIZE / 2})`}>
          accuracy
        </text>
      </svg>
    </figure>
  );
}
