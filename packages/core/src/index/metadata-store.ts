import { IndexError } from '../errors.js';

export type VectorMetadataValue = string | number;
/** Case metadata stored with a vector, e.g. `{ modality: 'CT', label: 2, site: 'north' }`. */
export type VectorMetadata = Readonly<Record<string, VectorMetadataValue>>;

export type MetadataColumn =
  | { readonly type: 'number'; values: Float64Array }
  | { readonly type: 'string'; codes: Int32Array; readonly dictionary: string[]; readonly lookup: Map<string, number> };

/** What persistence needs to rebuild a store: field names and types, dictionaries, and the column bytes. */
export interface MetadataSnapshot {
  readonly fields: readonly { readonly name: string; readonly type: 'number' | 'string'; readonly dictionary?: readonly string[] }[];
  readonly columns: readonly (Float64Array | Int32Array)[];
}

/**
 * Metadata by slot, stored by column: numbers in a Float64Array (NaN = absent), strings as codes
 * into a per-field dictionary (−1 = absent). Filters then compare numbers and small integers
 * instead of walking objects, and the columns persist as plain typed arrays.
 * A field's type is fixed by its first value.
 */
export class MetadataStore {
  readonly #columns = new Map<string, MetadataColumn>();
  #capacity = 0;

  get fields(): readonly string[] {
    return [...this.#columns.keys()];
  }

  column(name: string): MetadataColumn | undefined {
    return this.#columns.get(name);
  }

  reserve(capacity: number): void {
    if (capacity <= this.#capacity) return;
    for (const column of this.#columns.values()) growColumn(column, this.#capacity, capacity);
    this.#capacity = capacity;
  }

  /** Checks a metadata object before anything is stored, so a bad value changes nothing. */
  validate(metadata: VectorMetadata | undefined): void {
    if (metadata === undefined) return;
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
      throw new IndexError('INDEX_INVALID_METADATA', `metadata must be an object of string or number fields, not ${JSON.stringify(metadata)}`);
    }
    for (const [field, value] of Object.entries(metadata)) {
      const type = typeof value;
      if (type !== 'string' && !(type === 'number' && Number.isFinite(value))) {
        throw new IndexError('INDEX_INVALID_METADATA', `metadata field "${field}" = ${JSON.stringify(value)}: values must be strings or finite numbers`);
      }
      const column = this.#columns.get(field);
      if (column && column.type !== type) {
        throw new IndexError('INDEX_INVALID_METADATA', `metadata field "${field}" holds ${column.type}s; ${JSON.stringify(value)} is a ${type}`);
      }
    }
  }

  /** Replaces the metadata of a slot (undefined clears it). */
  set(slot: number, metadata: VectorMetadata | undefined): void {
    this.validate(metadata);
    this.clear(slot);
    if (!metadata) return;
    for (const [field, value] of Object.entries(metadata)) {
      let column = this.#columns.get(field);
      if (!column) {
        column = newColumn(typeof value === 'number' ? 'number' : 'string', this.#capacity);
        this.#columns.set(field, column);
      }
      if (column.type === 'number') column.values[slot] = value as number;
      else {
        let code = column.lookup.get(value as string);
        if (code === undefined) {
          code = column.dictionary.push(value as string) - 1;
          column.lookup.set(value as string, code);
        }
        column.codes[slot] = code;
      }
    }
  }

  get(slot: number): VectorMetadata | undefined {
    const out: Record<string, VectorMetadataValue> = {};
    let any = false;
    for (const [field, column] of this.#columns) {
      if (column.type === 'number') {
        const v = column.values[slot]!;
        if (Number.isNaN(v)) continue;
        out[field] = v;
      } else {
        const code = column.codes[slot]!;
        if (code < 0) continue;
        out[field] = column.dictionary[code]!;
      }
      any = true;
    }
    return any ? out : undefined;
  }

  clear(slot: number): void {
    for (const column of this.#columns.values()) {
      if (column.type === 'number') column.values[slot] = NaN;
      else column.codes[slot] = -1;
    }
  }

  /** Copies slot `from` to slot `to` (the flat indexes fill a deleted slot with the last one). */
  move(from: number, to: number): void {
    for (const column of this.#columns.values()) {
      if (column.type === 'number') column.values[to] = column.values[from]!;
      else column.codes[to] = column.codes[from]!;
    }
  }

  /** Bytes held: the columns plus the dictionaries' strings (two bytes a character, plus overhead). */
  bytes(): number {
    let total = 0;
    for (const [field, column] of this.#columns) {
      total += 64 + field.length * 2;
      if (column.type === 'number') total += column.values.byteLength;
      else {
        total += column.codes.byteLength;
        for (const s of column.dictionary) total += 48 + s.length * 2;
      }
    }
    return total;
  }

  snapshot(count: number): MetadataSnapshot {
    const fields: { name: string; type: 'number' | 'string'; dictionary?: readonly string[] }[] = [];
    const columns: (Float64Array | Int32Array)[] = [];
    for (const [name, column] of this.#columns) {
      if (column.type === 'number') {
        fields.push({ name, type: 'number' });
        columns.push(column.values.slice(0, count));
      } else {
        fields.push({ name, type: 'string', dictionary: [...column.dictionary] });
        columns.push(column.codes.slice(0, count));
      }
    }
    return { fields, columns };
  }

  static fromSnapshot(snapshot: MetadataSnapshot, count: number, capacity: number): MetadataStore {
    const store = new MetadataStore();
    store.reserve(capacity);
    snapshot.fields.forEach((field, i) => {
      const data = snapshot.columns[i]!;
      if (data.length !== count) throw new IndexError('INDEX_CORRUPT', `metadata column "${field.name}" has ${data.length} values for ${count} vectors`);
      const column = newColumn(field.type, store.#capacity);
      if (column.type === 'number') column.values.set(data);
      else {
        const dictionary = field.dictionary ?? [];
        for (const code of data) {
          if (code < -1 || code >= dictionary.length) throw new IndexError('INDEX_CORRUPT', `metadata column "${field.name}" refers to string ${code} of ${dictionary.length}`);
        }
        column.codes.set(data);
        dictionary.forEach((s, code) => {
          column.dictionary.push(s);
          column.lookup.set(s, code);
        });
      }
      store.#columns.set(field.name, column);
    });
    return store;
  }
}

function newColumn(type: 'number' | 'string', capacity: number): MetadataColumn {
  if (type === 'number') return { type, values: new Float64Array(capacity).fill(NaN) };
  return { type, codes: new Int32Array(capacity).fill(-1), dictionary: [], lookup: new Map() };
}

function growColumn(column: MetadataColumn, from: number, to: number): void {
  if (column.type === 'number') {
    const values = new Float64Array(to).fill(NaN);
    values.set(column.values.subarray(0, from));
    column.values = values;
  } else {
    const codes = new Int32Array(to).fill(-1);
    codes.set(column.codes.subarray(0, from));
    column.codes = codes;
  }
}
