import type { DriftResult } from '@cvf/core';
import { Gauge, type Registry } from 'prom-client';

/** What a drift check watches, and so the label its gauges carry: a served model (edge runtime) or a stream (`cvf predict` on video, `cvf consume`). */
export type DriftSubject = 'model' | 'stream';

/**
 * The drift gauges, on the server's registry: the latest check's statistic and p-value per
 * subject (model or stream) and method, and whether that check found drift (1) or not (0).
 */
export class DriftGauges {
  readonly statistic: Gauge<string>;
  readonly pValue: Gauge<string>;
  readonly detected: Gauge<string>;
  readonly #subject: DriftSubject;

  constructor(registry: Registry, subject: DriftSubject = 'model') {
    this.#subject = subject;
    this.statistic = new Gauge({
      name: 'cvf_drift_statistic',
      help: `statistic of the latest drift check over the last window of predictions (mmd: MMD², input: the strongest test), by ${subject} and method`,
      labelNames: [subject, 'method'],
      registers: [registry],
    });
    this.pValue = new Gauge({
      name: 'cvf_drift_p_value',
      help: `p-value of the latest drift check, by ${subject} and method (each method judged at alpha / methods: Bonferroni)`,
      labelNames: [subject, 'method'],
      registers: [registry],
    });
    this.detected = new Gauge({
      name: 'cvf_drift_detected',
      help: `whether the latest drift check of the ${subject} found drift (1) or not (0)`,
      labelNames: [subject],
      registers: [registry],
    });
  }

  /** Shows one check of `name` (a model or stream): every method's figures, and drift when any fired. A method missing from this check is removed, so no stale figure stays. */
  show(name: string, results: readonly DriftResult[], methods: readonly DriftResult['method'][]): void {
    const subject = { [this.#subject]: name };
    for (const method of methods) {
      const result = results.find((r) => r.method === method);
      if (!result) {
        this.statistic.remove({ ...subject, method });
        this.pValue.remove({ ...subject, method });
        continue;
      }
      this.statistic.set({ ...subject, method }, result.statistic);
      if (result.pValue === undefined) this.pValue.remove({ ...subject, method });
      else this.pValue.set({ ...subject, method }, result.pValue);
    }
    this.detected.set(subject, results.some((r) => r.drifted) ? 1 : 0);
  }
}
