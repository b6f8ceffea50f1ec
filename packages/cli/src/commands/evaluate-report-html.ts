import type { BootstrapEstimate, ClassOperatingPoint, ProportionInterval } from '@cvf/core';
import type { GapMetric, SubgroupAnalysis, SubgroupGap } from '@cvf/medical';
import type { EvaluationResult } from './evaluate-result.js';
import { REPORT_CSS } from './evaluate-report-style.js';
import { escapeHtml, legend, prPlot, reliabilityPlot, rocPlot } from './evaluate-report-svg.js';

/**
 * The HTML report of `cvf evaluate --report`: one self-contained file a reviewer can archive —
 * inline CSS and SVG, no script, no link to anything outside it. Every number in it is also in
 * the `--json` output.
 */

const METRIC_NAMES: Record<GapMetric, string> = { sensitivity: 'Sensitivity', specificity: 'Specificity', ppv: 'PPV', npv: 'NPV', accuracy: 'Accuracy', auc: 'ROC-AUC' };

function percent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '—';
}

function range(low: number, high: number): string {
  return Number.isFinite(low) && Number.isFinite(high) ? `${(low * 100).toFixed(1)}–${(high * 100).toFixed(1)}` : 'n/a';
}

/** A proportion in a table cell: estimate, interval and k/n. */
function proportionCell(p: ProportionInterval, mark = ''): string {
  return `<td${mark ? ` class="${mark}"` : ''}>${percent(p.estimate)}<span class="ci">${range(p.low, p.high)} · ${p.successes}/${p.trials}</span></td>`;
}

function estimateCell(e: BootstrapEstimate, mark = ''): string {
  return `<td${mark ? ` class="${mark}"` : ''}>${percent(e.estimate)}<span class="ci">${range(e.low, e.high)}</span></td>`;
}

function card(name: string, value: string, ci: string, n = ''): string {
  return `<div class="card"><div class="name">${escapeHtml(name)}</div><div class="value">${value}</div><div class="ci">${ci}</div>${n ? `<div class="n">${n}</div>` : ''}</div>`;
}

function proportionCard(name: string, p: ProportionInterval, level: number): string {
  return card(name, percent(p.estimate), `${Math.round(level * 100)}% CI ${range(p.low, p.high)}`, `${p.successes} / ${p.trials}`);
}

function header(result: EvaluationResult): string {
  const { model, dataset, evaluation } = result;
  const counts = evaluation.classes.map((c, i) => `${evaluation.classCounts[i]} ${escapeHtml(c)}`).join(', ');
  return `<header>
<h1>Clinical evaluation — ${escapeHtml(model.name)}${model.version === null ? '' : ` v${model.version}`}</h1>
<p class="meta"><b>${dataset.samples}</b> cases of the <b>${dataset.split}</b> split (${counts}) from <b>${escapeHtml(dataset.config)}</b></p>
<p class="meta">Bundle ${escapeHtml(model.bundle)} · config hash ${escapeHtml(model.configHash.slice(0, 12))} · generated ${escapeHtml(result.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</p>
</header>`;
}

function decisionSection(result: EvaluationResult): string {
  const { decision } = result;
  if (decision.kind === 'argmax') {
    return `<h2>Operating point</h2><p>The bundle has no operating points: each case is called its most probable class${decision.referral ? '; the referral policy of its decision stage applies' : ''}.</p>`;
  }
  const rows = decision.operatingPoints
    .map(
      (p) =>
        `<tr><td>${escapeHtml(p.label)}</td><td>${p.target} ≥ ${percent(p.value)}</td><td>${p.threshold > 1 ? 'never called' : p.threshold.toFixed(4)}</td><td>${percent(p.sensitivity)}</td><td>${percent(p.specificity)}</td></tr>`,
    )
    .join('');
  return `<h2>Operating point</h2>
<p>Decisions at the thresholds the training run chose on its validation split${decision.positiveClass ? ` (positive class: <b>${escapeHtml(decision.positiveClass)}</b>)` : ''}.</p>
<table><thead><tr><th>Class</th><th>Target on validation</th><th>Probability threshold</th><th>Validation sensitivity</th><th>Validation specificity</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function headline(result: EvaluationResult): string {
  const { evaluation, focusClasses } = result;
  const { level } = evaluation;
  const cards: string[] = [];
  if (focusClasses.length === 1) {
    const c = evaluation.classes.indexOf(focusClasses[0]!);
    const point = evaluation.operatingPoint.perClass[c]!;
    const curves = evaluation.curves[c]!;
    cards.push(
      proportionCard('Sensitivity', point.sensitivity, level),
      proportionCard('Specificity', point.specificity, level),
      proportionCard('PPV', point.ppv, level),
      proportionCard('NPV', point.npv, level),
      card('ROC-AUC', percent(curves.auc.estimate), `${Math.round(level * 100)}% CI ${range(curves.auc.low, curves.auc.high)}`, 'bootstrap'),
    );
  }
  cards.push(proportionCard('Accuracy', evaluation.operatingPoint.accuracy, level));
  cards.push(card('ECE', evaluation.calibration.ece.toFixed(3), `MCE ${evaluation.calibration.mce.toFixed(3)}`, `${evaluation.calibration.bins.length} bins`));
  if (evaluation.referral) cards.push(proportionCard('Referred', evaluation.referral.rate, level));
  const about = focusClasses.length === 1 ? ` — <b>${escapeHtml(focusClasses[0]!)}</b> against the rest` : '';
  return `<h2>Summary${about}</h2><div class="cards">${cards.join('')}</div>`;
}

function classRow(point: ClassOperatingPoint, result: EvaluationResult, c: number): string {
  const curves = result.evaluation.curves[c]!;
  const { tp, fp, tn, fn } = point.counts;
  return `<tr><td>${escapeHtml(point.label)}</td><td>${point.support}</td><td>${tp} / ${fp} / ${tn} / ${fn}</td>${proportionCell(point.sensitivity)}${proportionCell(point.specificity)}${proportionCell(point.ppv)}${proportionCell(point.npv)}${estimateCell(curves.auc)}${estimateCell(curves.averagePrecision)}</tr>`;
}

function classTable(result: EvaluationResult): string {
  const rows = result.evaluation.operatingPoint.perClass.map((point, c) => classRow(point, result, c)).join('');
  return `<h2>Each class against the rest</h2>
<table><thead><tr><th>Class</th><th>Cases</th><th>TP / FP / TN / FN</th><th>Sensitivity</th><th>Specificity</th><th>PPV</th><th>NPV</th><th>ROC-AUC</th><th>Average precision</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function figures(result: EvaluationResult): string {
  const { evaluation, focusClasses } = result;
  const curves = evaluation.curves.filter((c) => focusClasses.includes(c.label));
  const pct = Math.round(evaluation.level * 100);
  return `<h2>Curves and calibration</h2>
<div class="figures">
<figure>${rocPlot(curves)}<figcaption>ROC curve; shaded: ${pct}% bootstrap band of the sensitivity at each false-positive rate.</figcaption></figure>
<figure>${prPlot(curves)}<figcaption>Precision-recall (interpolated precision); dashed: prevalence.</figcaption></figure>
<figure>${reliabilityPlot(evaluation.calibration.bins)}<figcaption>Reliability of the top-class probability; grey: share of cases per bin.</figcaption></figure>
</div>${legend(curves.map((c) => c.label), evaluation.level)}`;
}

function referralSection(result: EvaluationResult): string {
  const { referral, level } = result.evaluation;
  if (!referral) return '';
  return `<h2>Referral</h2><div class="cards">${proportionCard('Referred to a reader', referral.rate, level)}${proportionCard('Accuracy not referred', referral.accuracyNotReferred, level)}${proportionCard('Accuracy referred', referral.accuracyReferred, level)}</div>`;
}

function gapText(gap: SubgroupGap): string {
  if (gap.difference === 0) return `${METRIC_NAMES[gap.metric]}: ${percent(gap.lowest.estimate)} in every group that has cases for it`;
  const side = (g: SubgroupGap['lowest']) => `<b>${escapeHtml(g.group)}</b> ${percent(g.estimate)} (${range(g.low, g.high)}, n=${g.cases})`;
  return `${METRIC_NAMES[gap.metric]}: ${side(gap.lowest)} vs ${side(gap.highest)} — difference ${(gap.difference * 100).toFixed(1)} points; intervals ${gap.separated ? '<b>do not overlap</b>' : 'overlap'}`;
}

function subgroupTable(analysis: SubgroupAnalysis, label: string, result: EvaluationResult): string {
  const c = result.evaluation.classes.indexOf(label);
  const gaps = analysis.gaps.filter((g) => g.label === label);
  const largest = gaps.reduce<SubgroupGap | undefined>((best, g) => (best === undefined || g.difference > best.difference ? g : best), undefined);
  const mark = (metric: GapMetric, group: string) => {
    const gap = gaps.find((g) => g.metric === metric);
    if (!gap || gap.difference === 0) return '';
    return gap.lowest.group === group ? 'low' : gap.highest.group === group ? 'high' : '';
  };
  const rows = analysis.groups
    .map((group) => {
      const point = group.evaluation.operatingPoint.perClass[c]!;
      const cells = (['sensitivity', 'specificity', 'ppv', 'npv', 'accuracy'] as const).map((m) => proportionCell(point[m], mark(m, group.value))).join('');
      return `<tr><td>${escapeHtml(group.value)}</td><td>${group.samples}</td><td>${point.support}</td>${cells}${estimateCell(group.evaluation.curves[c]!.auc, mark('auc', group.value))}</tr>`;
    })
    .join('');
  const gapRows = gaps.map((g) => `<div class="gap${g === largest && g.difference > 0 ? '' : ' quiet'}">${g === largest && g.difference > 0 ? 'Largest gap — ' : ''}${gapText(g)}</div>`).join('');
  return `<h3>${escapeHtml(label)} against the rest</h3>
<table><thead><tr><th>${escapeHtml(analysis.attribute)}</th><th>Cases</th><th>${escapeHtml(label)}</th><th>Sensitivity</th><th>Specificity</th><th>PPV</th><th>NPV</th><th>Accuracy</th><th>ROC-AUC</th></tr></thead><tbody>${rows}</tbody></table>
${gapRows || '<p class="notes">Fewer than two subgroups define these metrics: no gap to compare.</p>'}`;
}

function subgroupSection(result: EvaluationResult): string {
  if (result.subgroups.length === 0) return '';
  const parts = result.subgroups.map(
    (analysis) => `<h2>Subgroups by ${escapeHtml(analysis.attribute)}</h2><p class="meta">${escapeHtml(analysis.description)}; shaded cells: the lowest (left bar) and highest value of each metric.</p>${result.focusClasses.map((label) => subgroupTable(analysis, label, result)).join('')}`,
  );
  return parts.join('');
}

function methods(result: EvaluationResult): string {
  const { evaluation } = result;
  const pct = Math.round(evaluation.level * 100);
  return `<h2>Methods</h2><ul class="notes">
<li>Table cells give the estimate, under it its ${pct}% interval and k/n. Sensitivity, specificity, PPV, NPV and accuracy: Wilson score intervals (as statsmodels <code>proportion_confint(method='wilson')</code>).</li>
<li>ROC-AUC, average precision and the curve bands: percentile bootstrap, ${evaluation.bootstrap.resamples} resamples of the cases with replacement, seed ${evaluation.bootstrap.seed}; bands on a grid of ${evaluation.curves[0]?.roc.band.x.length ?? 0} points.</li>
<li>PPV and NPV depend on the prevalence of this set; they transfer to another population only with its prevalence.</li>
<li>Calibration: expected calibration error of the top-class probability over ${evaluation.calibration.bins.length} equal-width bins.</li>
<li>Subgroups: each group is evaluated alone; small groups have wide intervals, and a gap whose intervals overlap may be chance.${result.institutionSalt ? ` Institutions are shown as salted hashes (${result.institutionSalt === 'given' ? 'the salt given, comparable across reports that share it' : 'a random salt of this report only'}).` : ''}</li>
</ul>`;
}

export function renderEvaluationReport(result: EvaluationResult): string {
  const title = `Clinical evaluation — ${result.model.name}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>
<body><main>
${header(result)}${decisionSection(result)}${headline(result)}${classTable(result)}${figures(result)}${referralSection(result)}${subgroupSection(result)}${methods(result)}
</main></body></html>
`;
}
