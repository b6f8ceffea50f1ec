import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { seriesColor } from '../runs/metric-chart.js';
import { CHART_SECONDS, type LivePoint } from './live-stats.js';

const HEIGHT = 220;

/** uPlot's columns: the times, then one probability column per class. */
function columns(history: readonly LivePoint[], classCount: number): uPlot.AlignedData {
  return [history.map((p) => p.t), ...Array.from({ length: classCount }, (_, c) => history.map((p) => p.probabilities[c] ?? null))];
}

/** Every class's probability over the last CHART_SECONDS of inferred frames: a line per class, the window sliding with the newest frame. */
export function ProbabilityChart({ classes, history }: { classes: readonly string[]; history: readonly LivePoint[] }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(history);
  latest.current = history;

  useEffect(() => {
    const element = host.current!;
    const created = new uPlot(
      {
        width: Math.max(240, element.clientWidth),
        height: HEIGHT,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: {
          x: {
            time: false,
            range: (_plot, _min, max) => {
              const from = Math.max(0, (max ?? 0) - CHART_SECONDS);
              return [from, from + CHART_SECONDS];
            },
          },
          y: { range: [0, 1] },
        },
        axes: [
          { label: 'seconds', size: 36, values: (_plot, ticks) => ticks.map((t) => `${Math.round(t)} s`) },
          { size: 48, values: (_plot, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`) },
        ],
        series: [{ label: 'time' }, ...classes.map((label, i) => ({ label, stroke: seriesColor(i), width: 1.5, points: { show: false } }))],
      },
      columns(latest.current, classes.length),
      element,
    );
    plot.current = created;
    const resize = new ResizeObserver(() => created.setSize({ width: Math.max(240, element.clientWidth), height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      created.destroy();
      plot.current = null;
    };
  }, [classes]);

  useEffect(() => {
    plot.current?.setData(columns(history, classes.length));
  }, [history, classes]);

  return (
    <figure className="chart live-chart" data-testid="live-chart" data-points={history.length}>
      <figcaption>Probability per class, last {CHART_SECONDS} s</figcaption>
      <div ref={host} />
      {history.length === 0 && <p className="muted small live-chart-empty">The chart fills as frames are inferred.</p>}
    </figure>
  );
}
