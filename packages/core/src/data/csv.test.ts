import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvTable } from './csv.js';

const fields = (text: string, delimiter?: string) => parseCsv(text, delimiter ? { delimiter } : {}).map((r) => r.fields);

describe('CSV parser', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
    const text = 'path,label,note\n"a,b.png",cat,"said ""hi"""\n"multi\nline.png","",x\n';
    expect(fields(text)).toEqual([
      ['path', 'label', 'note'],
      ['a,b.png', 'cat', 'said "hi"'],
      ['multi\nline.png', '', 'x'],
    ]);
    // The record after a quoted line break starts on line 3 and the next on line 5.
    expect(parseCsv(text + 'z,y,w').map((r) => r.line)).toEqual([1, 2, 3, 5]);
  });

  it('handles CRLF, a byte-order mark, blank lines, a missing final newline and other delimiters', () => {
    expect(fields('\ufeffa;b\r\n\r\n1;"2;3"\r\n;', ';')).toEqual([['a', 'b'], ['1', '2;3'], ['', '']]);
    expect(fields('x\n""')).toEqual([['x'], ['']]);
  });

  it('reports unterminated quotes and text after a closing quote with the line', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3', { source: 'm.csv' })).toThrow(/m\.csv:2: a quoted field is never closed/);
    expect(() => parseCsv('a\n"x"y')).toThrow(expect.objectContaining({ code: 'DATASET_MALFORMED', message: expect.stringMatching(/CSV:2: unexpected "y" after a closing quote/) }));
    expect(() => parseCsv('a', { delimiter: '"' })).toThrow(/delimiter/);
  });

  it('maps records to header columns and rejects ragged rows and duplicate columns', () => {
    const table = parseCsvTable('path, label\nx.png,1\n');
    expect(table.columns).toEqual(['path', 'label']);
    expect(table.records).toEqual([{ line: 2, values: { path: 'x.png', label: '1' } }]);
    expect(() => parseCsvTable('a,b\n1,2,3', { source: 'f.csv' })).toThrow(/f\.csv:2: 3 fields, but the header has 2 \(a, b\)/);
    expect(() => parseCsvTable('a,a\n1,2')).toThrow(/column "a" appears twice/);
    expect(() => parseCsvTable('')).toThrow(expect.objectContaining({ code: 'DATASET_EMPTY' }));
  });
});
