import { describe, expect, it } from 'vitest';
import { parseFeedbackCsv } from './monitor-feedback-csv.js';

describe('parseFeedbackCsv', () => {
  it('reads the two columns in any order, quoted fields, CRLF and blank lines', () => {
    const text = '\uFEFFlabel,reader,predictionId\r\n"Pleural, effusion",dr a,p-1\r\n\r\nnormal,"dr ""b""",p-2\r\n';
    expect(parseFeedbackCsv(text, 'f.csv')).toEqual([
      { line: 2, predictionId: 'p-1', label: 'Pleural, effusion' },
      { line: 4, predictionId: 'p-2', label: 'normal' },
    ]);
  });

  it('names a header without the columns, and a short row by its line', () => {
    expect(() => parseFeedbackCsv('id,label\np,x\n', 'f.csv')).toThrow(/f\.csv:1: .*predictionId and label/);
    expect(() => parseFeedbackCsv('predictionId,label\np1,x\np2\n', 'f.csv')).toThrow(/f\.csv:3: expected a predictionId and a label/);
  });
});
