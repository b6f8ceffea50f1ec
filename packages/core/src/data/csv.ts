import { DatasetError } from '../errors.js';

export interface CsvOptions {
  /** Field delimiter, one character (default ','). */
  readonly delimiter?: string;
  /** Named in error messages, e.g. the file path. */
  readonly source?: string;
}

/** One CSV record: its fields and the line it starts on (1-based, for error messages). */
export interface CsvRow {
  readonly line: number;
  readonly fields: readonly string[];
}

/**
 * Parses CSV text (RFC 4180): fields in double quotes may hold delimiters, line breaks and doubled
 * quotes (""); CRLF and LF line ends; a UTF-8 byte-order mark is ignored; blank lines are skipped.
 * An unterminated quote or text after a closing quote is a DATASET_MALFORMED error naming the line.
 */
export function parseCsv(text: string, { delimiter = ',', source = 'CSV' }: CsvOptions = {}): CsvRow[] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new DatasetError('DATASET_MALFORMED', `${source}: delimiter ${JSON.stringify(delimiter)} must be one character other than a quote or a line break`);
  }
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false; // the current field was quoted, so even an empty one is a field
  let line = 1;
  let rowLine = 1;
  const endField = () => {
    fields.push(field);
    field = '';
    quoted = false;
  };
  const endRow = () => {
    const blank = fields.length === 0 && field === '' && !quoted;
    endField();
    if (!blank) rows.push({ line: rowLine, fields });
    fields = [];
  };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && field === '' && !quoted) {
      const startLine = line;
      quoted = true;
      for (i++; ; ) {
        if (i >= text.length) throw new DatasetError('DATASET_MALFORMED', `${source}:${startLine}: a quoted field is never closed`);
        const c = text[i++]!;
        if (c !== '"') {
          if (c === '\n') line++;
          field += c;
        } else if (text[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new DatasetError('DATASET_MALFORMED', `${source}:${line}: unexpected ${JSON.stringify(next)} after a closing quote (a quote inside a quoted field is written "")`);
      }
    } else if (ch === delimiter) {
      endField();
      i++;
    } else if (ch === '\n' || ch === '\r') {
      endRow();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      rowLine = ++line;
    } else {
      field += ch;
      i++;
    }
  }
  if (fields.length > 0 || field !== '' || quoted) endRow();
  return rows;
}

/** A CSV with a header row, each record as a column → value map. */
export interface CsvTable {
  readonly columns: readonly string[];
  readonly records: readonly { readonly line: number; readonly values: Readonly<Record<string, string>> }[];
}

/** Parses a CSV whose first row names the columns; every record must have as many fields as the header. */
export function parseCsvTable(text: string, options: CsvOptions = {}): CsvTable {
  const source = options.source ?? 'CSV';
  const [header, ...rows] = parseCsv(text, options);
  if (!header) throw new DatasetError('DATASET_EMPTY', `${source}: no header row`);
  const columns = header.fields.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) throw new DatasetError('DATASET_MALFORMED', `${source}:${header.line}: column "${name}" appears twice in the header`);
    seen.add(name);
  }
  const records = rows.map(({ line, fields }) => {
    if (fields.length !== columns.length) {
      throw new DatasetError('DATASET_MALFORMED', `${source}:${line}: ${fields.length} fields, but the header has ${columns.length} (${columns.join(', ')})`);
    }
    return { line, values: Object.fromEntries(columns.map((name, c) => [name, fields[c]!])) };
  });
  return { columns, records };
}
