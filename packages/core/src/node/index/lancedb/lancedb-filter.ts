import { IndexError } from '../../../errors.js';
import { invalidFilterField, parseFieldCondition, RANGE_KEYS, type FieldCondition, type FilterScalar, type MetadataFilter } from '../../../index/filter.js';

/** A metadata field as the table stores it: a column of its own (named by position, so no user text is ever an SQL identifier). */
export interface MetadataColumnInfo {
  readonly name: string;
  readonly type: 'number' | 'string';
  readonly column: string;
}

const SQL_OPERATOR = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
/** Matches no row: a field no vector has, or a string never stored. */
const NOTHING = 'FALSE';

const invalid = invalidFilterField;

/**
 * A metadata filter as a LanceDB `where` clause, with the semantics and the refusals of the
 * in-memory indexes' compileFilter: every field's condition must hold; an absent value (NULL) fails
 * equality and ranges; a field no vector has matches nothing; a string compared with a numeric
 * field (or the reverse) is INDEX_INVALID_FILTER. Strings are quoted ('' for a quote), numbers
 * are written as finite literals, and columns are the table's own names. Null when nothing is filtered.
 */
export function filterToSql(filter: MetadataFilter, columns: ReadonlyMap<string, MetadataColumnInfo>): string | null {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new IndexError('INDEX_INVALID_FILTER', `a filter is an object of field conditions, not ${JSON.stringify(filter)}`);
  }
  const clauses = Object.entries(filter).map(([field, condition]) => fieldClause(field, condition, columns.get(field)));
  if (clauses.length === 0) return null;
  return clauses.map((clause) => `(${clause})`).join(' AND ');
}

function fieldClause(field: string, condition: FieldCondition, column: MetadataColumnInfo | undefined): string {
  const parsed = parseFieldCondition(field, condition);
  return parsed.kind === 'equality' ? equality(field, parsed.values, column) : range(field, parsed.bounds, column);
}

function equality(field: string, values: readonly FilterScalar[], column: MetadataColumnInfo | undefined): string {
  for (const v of values) {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) throw invalid(field, `${JSON.stringify(v)} is not a string or a finite number`);
  }
  if (!column) return NOTHING;
  if (values.length === 0) return NOTHING;
  const literals = values.map((v) => {
    if (column.type === 'number' && typeof v !== 'number') throw invalid(field, `it holds numbers; ${JSON.stringify(v)} is a string`);
    if (column.type === 'string' && typeof v !== 'string') throw invalid(field, `it holds strings; ${JSON.stringify(v)} is a number`);
    return typeof v === 'number' ? numberLiteral(v) : stringLiteral(v);
  });
  return literals.length === 1 ? `${column.column} = ${literals[0]}` : `${column.column} IN (${literals.join(', ')})`;
}

function range(field: string, bounds: { gt?: number; gte?: number; lt?: number; lte?: number }, column: MetadataColumnInfo | undefined): string {
  for (const key of RANGE_KEYS) {
    const v = bounds[key];
    if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) throw invalid(field, `"${key}" takes a number, not ${JSON.stringify(v)}`);
  }
  if (!column) return NOTHING;
  if (column.type !== 'number') throw invalid(field, 'ranges apply to numeric fields; it holds strings');
  if (bounds.gt !== undefined && bounds.gte !== undefined) throw invalid(field, 'give "gt" or "gte", not both');
  if (bounds.lt !== undefined && bounds.lte !== undefined) throw invalid(field, 'give "lt" or "lte", not both');
  // An infinite bound holds for every present value (SQL has no infinity literal); NULL still fails.
  const parts = [`${column.column} IS NOT NULL`];
  for (const key of RANGE_KEYS) {
    const v = bounds[key];
    if (v === undefined) continue;
    if (v === Infinity) {
      if (key === 'gt' || key === 'gte') return NOTHING;
      continue;
    }
    if (v === -Infinity) {
      if (key === 'lt' || key === 'lte') return NOTHING;
      continue;
    }
    parts.push(`${column.column} ${SQL_OPERATOR[key]} ${numberLiteral(v)}`);
  }
  return parts.join(' AND ');
}

/** A finite number as an SQL literal of type double (exponent form keeps every digit of the float64). */
function numberLiteral(value: number): string {
  return `CAST(${value.toExponential()} AS DOUBLE)`;
}

/** A string as an SQL literal: single quotes, a quote doubled. */
export function stringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
