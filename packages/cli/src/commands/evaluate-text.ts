import type { ProportionInterval } from '@cvf/core';
import type { EvaluationResult } from './evaluate-result.js';

/** The terminal summary of `cvf evaluate`: the headline figures and each subgroup attribute's largest gap. */

function proportion(p: ProportionInterval): string {
  if (!Number.isFinite(p.estimate)) return `—  (0 cases)`;
  return `${(p.estimate * 100).toFixed(1).padStart(5)}%  (${(p.low * 100).toFixed(1)}–${(p.high * 100).toFixed(1)})  ${p.successes}/${p.trials}`;
}

function interval(estimate: number, low: number, high: number): string {
  return Number.isFinite(estimate) ? `${estimate.toFixed(3)} (${Number.isFinite(low) ? low.toFixed(3) : '—'}–${Number.isFinite(high) ? high.toFixed(3) : '—'})` : '—';
}

export function formatEvaluationText(result: EvaluationResult, reportPath: string | undefined): string {
  const { evaluation, model, dataset } = result;
  const pct = Math.round(evaluation.level * 100);
  const lines = [
    `${model.name}${model.version === null ? '' : ` v${model.version}`} on ${dataset.samples} ${dataset.split} cases of ${dataset.config} (${evaluation.classes.map((c, i) => `${evaluation.classCounts[i]} ${c}`).join(', ')})`,
    result.decision.kind === 'argmax'
      ? 'decided: most probable class'
      : `decided at: ${result.decision.operatingPoints.map((p) => `${p.label} ≥ ${p.threshold.toFixed(4)} (val ${p.target} ${(p.value * 100).toFixed(0)}%)`).join(', ')}`,
    `accuracy     ${proportion(evaluation.operatingPoint.accuracy)}   [${pct}% Wilson]`,
  ];
  for (const label of result.focusClasses) {
    const c = evaluation.classes.indexOf(label);
    const point = evaluation.operatingPoint.perClass[c]!;
    const curves = evaluation.curves[c]!;
    lines.push(
      `${label} against the rest:`,
      `  sensitivity  ${proportion(point.sensitivity)}`,
      `  specificity  ${proportion(point.specificity)}`,
      `  PPV          ${proportion(point.ppv)}`,
      `  NPV          ${proportion(point.npv)}`,
      `  ROC-AUC      ${interval(curves.auc.estimate, curves.auc.low, curves.auc.high)}   AP ${interval(curves.averagePrecision.estimate, curves.averagePrecision.low, curves.averagePrecision.high)}   [bootstrap ${evaluation.bootstrap.resamples}, seed ${evaluation.bootstrap.seed}]`,
    );
  }
  lines.push(`ECE ${evaluation.calibration.ece.toFixed(3)} (MCE ${evaluation.calibration.mce.toFixed(3)}, ${evaluation.calibration.bins.length} bins)`);
  if (evaluation.referral) lines.push(`referred     ${proportion(evaluation.referral.rate)};  accuracy not referred ${proportion(evaluation.referral.accuracyNotReferred)}`);
  for (const analysis of result.subgroups) {
    lines.push(`by ${analysis.attribute}: ${analysis.groups.map((g) => `${g.value} (${g.samples})`).join(', ')}`);
    for (const label of result.focusClasses) {
      const gaps = analysis.gaps.filter((g) => g.label === label);
      const largest = gaps.reduce<(typeof gaps)[number] | undefined>((best, g) => (best === undefined || g.difference > best.difference ? g : best), undefined);
      if (!largest) continue;
      const side = (g: typeof largest.lowest) => `${g.group} ${(g.estimate * 100).toFixed(1)}% (${(g.low * 100).toFixed(1)}–${(g.high * 100).toFixed(1)})`;
      lines.push(`  largest gap (${label}): ${largest.metric} ${side(largest.lowest)} vs ${side(largest.highest)}${largest.separated ? ' — intervals do not overlap' : ''}`);
    }
  }
  if (reportPath) lines.push(`report: ${reportPath}`);
  return `${lines.join('\n')}\n`;
}
