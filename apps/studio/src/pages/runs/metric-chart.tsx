import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  readonly label: string;
  readonly points: readonly { step: number; value: number }[];
}

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

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
        legend: { show: true },
        scales: { x: { time: false } },
        axes: [{ label: 'epoch', size: 36 }, { size: 56 }],
        series: [{ label: 'epoch' }, ...series.map((s, i) => ({ label: s.label, stroke: seriesColor(i), width: 2, points: { show: steps.length < 40 }, spanGaps: true }))],
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
