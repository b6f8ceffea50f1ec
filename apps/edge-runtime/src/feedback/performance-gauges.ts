import type { PerformanceFigures } from '@cvf/core';
import { Gauge, type Registry } from 'prom-client';

/** The `cvf_performance_*` gauges: the model's measured performance on the labels fed back to it. */
export class PerformanceGauges {
  readonly labels: Gauge<'model'>;
  readonly accuracy: Gauge<'model'>;
  readonly sensitivity: Gauge<'model' | 'class'>;
  readonly interval: Gauge<'model' | 'metric' | 'bound'>;
  readonly degraded: Gauge<'model'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.labels = new Gauge({ name: 'cvf_performance_labels', help: 'fed-back labels in the performance window (those of the version that answered the latest labelled prediction)', labelNames: ['model'], registers });
    this.accuracy = new Gauge({ name: 'cvf_performance_accuracy', help: 'accuracy on the fed-back labels of the performance window', labelNames: ['model'], registers });
    this.sensitivity = new Gauge({ name: 'cvf_performance_sensitivity', help: 'sensitivity (recall) per true class on the fed-back labels of the window', labelNames: ['model', 'class'], registers });
    this.interval = new Gauge({
      name: 'cvf_performance_interval',
      help: "the 95% Wilson interval (bound low or high) of the tracked metric (monitor.performance.metric) the trigger tests",
      labelNames: ['model', 'metric', 'bound'],
      registers,
    });
    this.degraded = new Gauge({ name: 'cvf_performance_degraded', help: '1 while the tracked metric is below monitor.performance.threshold beyond chance, else 0', labelNames: ['model'], registers });
  }

  update(model: string, window: { labels: number; accuracy: number; sensitivity: ReadonlyMap<string, { estimate: number }> }, figures: PerformanceFigures): void {
    this.labels.set({ model }, window.labels);
    if (Number.isFinite(window.accuracy)) this.accuracy.set({ model }, window.accuracy);
    for (const [cls, interval] of window.sensitivity) this.sensitivity.set({ model, class: cls }, interval.estimate);
    const metric = figures.class === undefined ? figures.metric : `${figures.metric}:${figures.class}`;
    if (Number.isFinite(figures.low)) {
      this.interval.set({ model, metric, bound: 'low' }, figures.low);
      this.interval.set({ model, metric, bound: 'high' }, figures.high);
    }
    this.degraded.set({ model }, figures.degraded ? 1 : 0);
  }
}
