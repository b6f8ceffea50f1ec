import type { ClassCurves, ReliabilityBin } from '@cvf/core';

/**
 * The report's figures as inline SVG: unit-square plots (rates and probabilities) with a
 * shaded bootstrap band under each curve. Plain markup, no script or external resource, so the
 * report prints and archives as one file.
 */

export const SERIES_COLOURS = ['#1f5fa8', '#c2571a', '#2e8540', '#7b3fa0', '#8a6d0b', '#0e7c86'];

const SIZE = 300;
const MARGIN = { left: 46, right: 12, top: 12, bottom: 40 };
const PLOT = SIZE - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = SIZE - MARGIN.top - MARGIN.bottom;

const px = (x: number) => (MARGIN.left + x * PLOT).toFixed(1);
const py = (y: number) => (MARGIN.top + (1 - y) * PLOT_HEIGHT).toFixed(1);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

interface Series {
  label: string;
  colour: string;
  /** The curve's own points, drawn as a polyline. */
  x: readonly number[];
  y: readonly number[];
  /** The band on its grid; points where it is undefined are skipped. */
  band?: { x: readonly number[]; low: readonly number[]; high: readonly number[] };
}

function axes(xLabel: string, yLabel: string): string {
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const grid = ticks
    .map((t) => `<line x1="${px(t)}" y1="${py(0)}" x2="${px(t)}" y2="${py(1)}" class="grid"/><line x1="${px(0)}" y1="${py(t)}" x2="${px(1)}" y2="${py(t)}" class="grid"/>`)
    .join('');
  const labels = ticks
    .map((t) => `<text x="${px(t)}" y="${(MARGIN.top + PLOT_HEIGHT + 14).toFixed(1)}" text-anchor="middle">${t.toFixed(1)}</text><text x="${MARGIN.left - 6}" y="${(Number(py(t)) + 3.5).toFixed(1)}" text-anchor="end">${t.toFixed(1)}</text>`)
    .join('');
  return (
    `${grid}<rect x="${px(0)}" y="${py(1)}" width="${PLOT}" height="${PLOT_HEIGHT}" class="frame"/>${labels}` +
    `<text x="${px(0.5)}" y="${SIZE - 6}" text-anchor="middle" class="axis-label">${escapeHtml(xLabel)}</text>` +
    `<text transform="translate(12 ${py(0.5)}) rotate(-90)" text-anchor="middle" class="axis-label">${escapeHtml(yLabel)}</text>`
  );
}

function bandPath(band: NonNullable<Series['band']>): string {
  const defined = band.x.map((x, g) => ({ x, low: band.low[g]!, high: band.high[g]! })).filter((p) => Number.isFinite(p.low) && Number.isFinite(p.high));
  if (defined.length < 2) return '';
  const upper = defined.map((p) => `${px(p.x)},${py(p.high)}`);
  const lower = defined.reverse().map((p) => `${px(p.x)},${py(p.low)}`);
  return `M${upper.join('L')}L${lower.join('L')}Z`;
}

function plot(title: string, xLabel: string, yLabel: string, series: readonly Series[], extra: string): string {
  const bands = series.map((s) => (s.band ? `<path d="${bandPath(s.band)}" fill="${s.colour}" fill-opacity="0.16" stroke="none"/>` : '')).join('');
  const lines = series
    .map((s) => {
      const points = s.x.map((x, k) => ({ x, y: s.y[k]! })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
      return points.length ? `<polyline points="${points.map((p) => `${px(p.x)},${py(p.y)}`).join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2"/>` : '';
    })
    .join('');
  return `<svg viewBox="0 0 ${SIZE} ${SIZE}" role="img" aria-label="${escapeHtml(title)}" class="plot">${axes(xLabel, yLabel)}${extra}${bands}${lines}</svg>`;
}

/** ROC curves of the focus classes with their bootstrap bands and the chance diagonal. */
export function rocPlot(curves: readonly ClassCurves[]): string {
  const diagonal = `<line x1="${px(0)}" y1="${py(0)}" x2="${px(1)}" y2="${py(1)}" class="reference"/>`;
  return plot(
    'ROC curve',
    'False-positive rate (1 − specificity)',
    'Sensitivity',
    curves.map((c, i) => ({ label: c.label, colour: SERIES_COLOURS[i % SERIES_COLOURS.length]!, x: c.roc.fpr, y: c.roc.tpr, band: c.roc.band })),
    diagonal,
  );
}

/** Precision-recall curves (as steps of the interpolated precision) with bands and each class's prevalence line. */
export function prPlot(curves: readonly ClassCurves[]): string {
  const prevalence = curves
    .map((c, i) => (Number.isFinite(c.pr.prevalence) ? `<line x1="${px(0)}" y1="${py(c.pr.prevalence)}" x2="${px(1)}" y2="${py(c.pr.prevalence)}" class="reference" stroke="${SERIES_COLOURS[i % SERIES_COLOURS.length]}"/>` : ''))
    .join('');
  return plot(
    'Precision-recall curve',
    'Recall (sensitivity)',
    'Precision (PPV)',
    curves.map((c, i) => ({ label: c.label, colour: SERIES_COLOURS[i % SERIES_COLOURS.length]!, x: c.pr.band.x, y: c.pr.band.estimate, band: c.pr.band })),
    prevalence,
  );
}

/** Reliability diagram: the accuracy of each confidence bin against its mean confidence, bars over the bin, with the diagonal of perfect calibration. */
export function reliabilityPlot(bins: readonly ReliabilityBin[]): string {
  const total = bins.reduce((n, b) => n + b.count, 0);
  const bars = bins
    .filter((b) => b.count > 0 && b.accuracy !== null)
    .map((b) => {
      const width = Number(px(b.upper)) - Number(px(b.lower));
      const share = total > 0 ? b.count / total : 0;
      return (
        `<rect x="${(Number(px(b.lower)) + 1).toFixed(1)}" y="${py(b.accuracy!)}" width="${(width - 2).toFixed(1)}" height="${(Number(py(0)) - Number(py(b.accuracy!))).toFixed(1)}" class="bar"/>` +
        `<circle cx="${px(b.confidence!)}" cy="${py(b.accuracy!)}" r="3" class="dot"/>` +
        `<rect x="${(Number(px(b.lower)) + 1).toFixed(1)}" y="${(Number(py(0)) - share * 40).toFixed(1)}" width="${(width - 2).toFixed(1)}" height="${(share * 40).toFixed(1)}" class="count"><title>${b.count} cases</title></rect>`
      );
    })
    .join('');
  const diagonal = `<line x1="${px(0)}" y1="${py(0)}" x2="${px(1)}" y2="${py(1)}" class="reference"/>`;
  return plot('Reliability diagram', 'Confidence (highest class probability)', 'Observed accuracy', [], `${bars}${diagonal}`);
}

/** The colour key of the focus classes under a plot. */
export function legend(labels: readonly string[], level: number): string {
  return `<p class="legend">${labels.map((label, i) => `<span><i style="background:${SERIES_COLOURS[i % SERIES_COLOURS.length]}"></i>${escapeHtml(label)}</span>`).join('')}<span><i class="band-key"></i>${Math.round(level * 100)}% bootstrap band</span></p>`;
}
