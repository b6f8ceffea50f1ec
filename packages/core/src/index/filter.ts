import { IndexError } from '../errors.js';
import type { MetadataStore } from './metadata-store.js';

export type FilterScalar = string | number;

/**
 * One field's condition: a bare value or `{ eq }` (equality), `{ in: [...] }` (any of), or a
 * numeric range `{ gt, gte, lt, lte }` (any subset of the four bounds).
 */
export type FieldCondition =
  | FilterScalar
  | { readonly eq: FilterScalar }
  | { readonly in: readonly FilterScalar[] }
  | { readonly gt?: number; readonly gte?: number; readonly lt?: number; readonly lte?: number };

/** Conditions on metadata fields, all of which must hold: `{ modality: 'CT', label: { in: [1, 2] }, age: { gte: 40 } }`. */
export type MetadataFilter = Readonly<Record<string, FieldCondition>>;

/** The bounds a range condition may give. */
export const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const;
const OPERATORS = ['eq', 'in', ...RANGE_KEYS];

/** A filter bound to a store's columns: a per-slot test (graph search) and a mask builder (flat scans). */
export interface CompiledFilter {
  test(slot: number): boolean;
  /** mask[s] = 1 where slot s passes, for s in [0, count). */
  fillMask(mask: Uint8Array, count: number): void;
}

type SlotTest = (slot: number) => boolean;

/** Checks a filter's shape and binds it to the store; throws IndexError('INDEX_INVALID_FILTER') naming the bad part. */
export function compileFilter(filter: MetadataFilter, store: MetadataStore): CompiledFilter {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new IndexError('INDEX_INVALID_FILTER', `a filter is an object of field conditions, not ${JSON.stringify(filter)}`);
  }
  const tests: SlotTest[] = [];
  for (const [field, condition] of Object.entries(filter)) tests.push(compileField(field, condition, store));
  const test: SlotTest = tests.length === 0 ? () => true : tests.length === 1 ? tests[0]! : (slot) => tests.every((t) => t(slot));
  return {
    test,
    fillMask(mask, count) {
      for (let s = 0; s < count; s++) mask[s] = test(s) ? 1 : 0;
    },
  };
}

/** INDEX_INVALID_FILTER naming the field. */
export function invalidFilterField(field: string, message: string): IndexError {
  return new IndexError('INDEX_INVALID_FILTER', `filter field "${field}": ${message}`);
}
const invalid = invalidFilterField;

/** A field's condition after its shape is checked: the values it may equal, or its numeric bounds. */
export type ParsedCondition =
  | { readonly kind: 'equality'; readonly values: readonly FilterScalar[] }
  | { readonly kind: 'range'; readonly bounds: { readonly gt?: number; readonly gte?: number; readonly lt?: number; readonly lte?: number } };

/** Checks a condition's shape (a value, `eq`, `in`, or range bounds; operators not mixed), for every index that compiles filters. */
export function parseFieldCondition(field: string, condition: FieldCondition): ParsedCondition {
  if (typeof condition === 'string' || typeof condition === 'number') return { kind: 'equality', values: [condition] };
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    throw invalid(field, `${JSON.stringify(condition)} is not a value or an object with ${OPERATORS.join(', ')}`);
  }
  const keys = Object.keys(condition);
  const unknown = keys.filter((k) => !OPERATORS.includes(k));
  if (unknown.length > 0 || keys.length === 0) {
    throw invalid(field, `operator ${unknown.length ? `"${unknown[0]}"` : '(none)'} is not one of ${OPERATORS.join(', ')}`);
  }
  if ('eq' in condition) {
    if (keys.length > 1) throw invalid(field, '"eq" cannot be combined with other operators');
    return { kind: 'equality', values: [condition.eq] };
  }
  if ('in' in condition) {
    if (keys.length > 1) throw invalid(field, '"in" cannot be combined with other operators');
    if (!Array.isArray(condition.in)) throw invalid(field, `"in" takes an array, not ${JSON.stringify(condition.in)}`);
    return { kind: 'equality', values: condition.in };
  }
  return { kind: 'range', bounds: condition as { gt?: number; gte?: number; lt?: number; lte?: number } };
}

function compileField(field: string, condition: FieldCondition, store: MetadataStore): SlotTest {
  const parsed = parseFieldCondition(field, condition);
  return parsed.kind === 'equality' ? equality(field, parsed.values, store) : range(field, parsed.bounds, store);
}

function equality(field: string, values: readonly FilterScalar[], store: MetadataStore): SlotTest {
  for (const v of values) {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) throw invalid(field, `${JSON.stringify(v)} is not a string or a finite number`);
  }
  const column = store.column(field);
  if (!column) return () => false; // no vector has this field
  if (column.type === 'number') {
    const wanted = values.map((v) => {
      if (typeof v !== 'number') throw invalid(field, `it holds numbers; ${JSON.stringify(v)} is a string`);
      return v;
    });
    if (wanted.length === 1) {
      const only = wanted[0]!;
      return (slot) => column.values[slot] === only;
    }
    const set = new Set(wanted);
    return (slot) => set.has(column.values[slot]!);
  }
  // Strings compare as dictionary codes; a value never stored matches nothing.
  const codes = values.map((v) => {
    if (typeof v !== 'string') throw invalid(field, `it holds strings; ${JSON.stringify(v)} is a number`);
    return column.lookup.get(v) ?? -2;
  });
  if (codes.length === 1) {
    const only = codes[0]!;
    return (slot) => column.codes[slot] === only;
  }
  const allowed = new Uint8Array(column.dictionary.length);
  for (const code of codes) if (code >= 0) allowed[code] = 1;
  return (slot) => {
    const code = column.codes[slot]!;
    return code >= 0 && allowed[code] === 1;
  };
}

function range(field: string, bounds: { gt?: number; gte?: number; lt?: number; lte?: number }, store: MetadataStore): SlotTest {
  for (const key of RANGE_KEYS) {
    const v = bounds[key];
    if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) throw invalid(field, `"${key}" takes a number, not ${JSON.stringify(v)}`);
  }
  const column = store.column(field);
  if (!column) return () => false;
  if (column.type !== 'number') throw invalid(field, 'ranges apply to numeric fields; it holds strings');
  const lower = bounds.gte ?? bounds.gt ?? -Infinity;
  const upper = bounds.lte ?? bounds.lt ?? Infinity;
  const lowerStrict = bounds.gte === undefined && bounds.gt !== undefined;
  const upperStrict = bounds.lte === undefined && bounds.lt !== undefined;
  if (bounds.gt !== undefined && bounds.gte !== undefined) throw invalid(field, 'give "gt" or "gte", not both');
  if (bounds.lt !== undefined && bounds.lte !== undefined) throw invalid(field, 'give "lt" or "lte", not both');
  // NaN (absent) fails every comparison, so vectors without the field never pass a range.
  return (slot) => {
    const v = column.values[slot]!;
    return (lowerStrict ? v > lower : v >= lower) && (upperStrict ? v < upper : v <= upper);
  };
}
