/** The report's stylesheet, inlined: readable on screen and on A4 paper, no web fonts. */
export const REPORT_CSS = `
:root { --ink: #1b1f24; --muted: #5b6470; --line: #d5dae1; --soft: #f4f6f9; --accent: #1f5fa8; --warn: #a4420d; --warn-soft: #fdf0e6; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 32px 40px; }
header { border-bottom: 2px solid var(--ink); padding-bottom: 12px; margin-bottom: 20px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 18px 0 6px; }
.meta { color: var(--muted); margin: 0; }
.meta b { color: var(--ink); font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--soft); }
.card .name { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .ci, .card .n { font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; margin: 6px 0 4px; }
th, td { text-align: right; padding: 5px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; vertical-align: top; }
thead th { white-space: normal; vertical-align: bottom; }
th:first-child, td:first-child { text-align: left; }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 1.5px solid var(--ink); }
td .ci { display: block; color: var(--muted); font-size: 11px; }
td.low, td.high { background: var(--warn-soft); }
td.low { box-shadow: inset 3px 0 0 var(--warn); }
.figures { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; }
svg.plot { width: 100%; height: auto; display: block; font-size: 10px; fill: var(--muted); }
svg .grid { stroke: #edf0f3; stroke-width: 1; }
svg .frame { fill: none; stroke: #9aa3ae; stroke-width: 1; }
svg .reference { stroke: #9aa3ae; stroke-dasharray: 4 3; stroke-width: 1; }
svg .axis-label { fill: var(--ink); font-size: 11px; }
svg .bar { fill: #1f5fa8; fill-opacity: .22; stroke: #1f5fa8; stroke-width: .8; }
svg .dot { fill: #1f5fa8; }
svg .count { fill: #5b6470; fill-opacity: .35; }
.legend { font-size: 12px; color: var(--muted); margin: 6px 0 0; display: flex; gap: 14px; flex-wrap: wrap; }
.legend i { display: inline-block; width: 14px; height: 3px; margin-right: 5px; vertical-align: middle; }
.legend i.band-key { height: 10px; background: #1f5fa8; opacity: .2; }
.gap { border-left: 3px solid var(--warn); background: var(--warn-soft); padding: 8px 12px; margin: 8px 0; }
.gap.quiet { border-left-color: var(--line); background: var(--soft); }
.notes { color: var(--muted); font-size: 12px; }
.notes li { margin: 3px 0; }
@media (max-width: 800px) { .figures { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  table, figure, .card, .gap { break-inside: avoid; }
  .card, td.low, td.high, .gap { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
