import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  readonly label: string;
  readonly points: readonly { step: number; value: number }[];
  /** Defaults to the palette colour of the series' index. */
  readonly color?: string;
  readonly dashed?: boolean;
}

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

/** Ticks with as many digits as they need: 0.0005 and 0.001 stay apart. */
function formatTick(value: number): string {
  if (value === 0) return '0';
  return Math.abs(value) >= 1000 || Math.abs(value) < 0.01 ? value.toExponential(1) : String(Number(value.toPrecision(3)));
}

export const seriesColor = (index: number): string => COLORS[index % COLORS.length]!;

/** A per-epoch metric chart (uPlot): one line per series, x = epoch (step). */
export function MetricChart({ title, series, height = 200 }: { title: string; series: readonly ChartSeries[]; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current!;
    // uPlot wants one shared x axis: the union of steps, with gaps where a series has no value.
    const steps = [...new Set(series.flatMap((s) => s.points.map((p) => p.step)))].sort((a, b) => a - b);
    const columns = series.map((s) => {
      const byStep = new Map(s.points.map((p) => [p.step, p.value]));
      return steps.map((step) => byStep.get(step) ?? null);
    });
    const plot = new uPlot(
      {
        width: Math.max(240, element.clientWidth),
        height,
        legend: { show: true, live: false },
        scales: { x: { time: false } },
        axes: [{ label: 'epoch', size: 36 }, { size: 60, values: (_plot, ticks) => ticks.map(formatTick) }],
        series: [
          { label: 'epoch' },
          ...series.map((s, i) => ({ label: s.label, stroke: s.color ?? seriesColor(i), width: 2, ...(s.dashed ? { dash: [6, 4] } : {}), points: { show: steps.length < 40 }, spanGaps: true })),
        ],
      },
      [steps, ...columns] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [series, height]);
  return (
    <figure className="chart" data-testid="metric-chart">
      <figcaption>{title}</figcaption>
      <div ref={host} />
    </figure>
  );
}
