import { MonitorError } from '@cvf/core';

export interface FeedbackRow {
  /** 1-based line in the file, for messages. */
  readonly line: number;
  readonly predictionId: string;
  readonly label: string;
}

/**
 * The rows of a feedback CSV: a header naming the columns `predictionId` and `label` (in any
 * order, others ignored), then one label per line. Fields may be double-quoted ("" is a quote
 * inside); blank lines are skipped. A missing column or a short row is MONITOR_FEEDBACK_INVALID.
 */
export function parseFeedbackCsv(text: string, file: string): FeedbackRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim());
  const idColumn = header.indexOf('predictionId');
  const labelColumn = header.indexOf('label');
  if (idColumn < 0 || labelColumn < 0) {
    throw new MonitorError('MONITOR_FEEDBACK_INVALID', `${file}:1: the header ${JSON.stringify(lines[0] ?? '')} must name the columns predictionId and label`);
  }
  const rows: FeedbackRow[] = [];
  lines.slice(1).forEach((text, i) => {
    if (text.trim() === '') return;
    const fields = splitCsvLine(text);
    const predictionId = fields[idColumn]?.trim();
    const label = fields[labelColumn]?.trim();
    if (!predictionId || !label) throw new MonitorError('MONITOR_FEEDBACK_INVALID', `${file}:${i + 2}: expected a predictionId and a label, got ${JSON.stringify(text)}`);
    rows.push({ line: i + 2, predictionId, label });
  });
  return rows;
}

function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    const c = line[k]!;
    if (quoted) {
      if (c === '"' && line[k + 1] === '"') (field += '"'), k++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') fields.push(field), (field = '');
    else field += c;
  }
  fields.push(field);
  return fields;
}
