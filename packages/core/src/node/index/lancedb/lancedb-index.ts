import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection, Table } from '@lancedb/lancedb';
import type { FixedSizeList, Table as ArrowTable } from 'apache-arrow';
import * as z from 'zod';
import { IndexError } from '../../../errors.js';
import type { DiskVectorIndex } from '../../../index/disk-index.js';
import type { VectorMetadata } from '../../../index/metadata-store.js';
import { checkDim, checkId, checkK, checkMetric, checkRows, checkVector, sortHits, storedVector } from '../../../index/metric.js';
import { VECTOR_METRICS, type SearchHit, type SearchOptions, type VectorIndex, type VectorMetric } from '../../../index/types.js';
import { filterToSql, type MetadataColumnInfo } from './lancedb-filter.js';

export interface OpenOptions {
  /** Called after the table is closed (e.g. to remove a private copy). */
  readonly onClose?: () => Promise<void>;
  /** Refuse add and delete (INDEX_INVALID_ARGUMENT): the index is a bundle's, searched in place. */
  readonly readOnly?: boolean;
}

/** The table inside an index folder, and the description of the index beside it. */
export const LANCEDB_TABLE = 'cases';
export const LANCEDB_DESCRIPTION_FILE = 'cvf-index.json';

const descriptionSchema = z.strictObject({
  dim: z.int().min(1).max(65536),
  metric: z.enum(VECTOR_METRICS as [VectorMetric, ...VectorMetric[]]),
  fields: z.array(z.strictObject({ name: z.string(), type: z.enum(['number', 'string']), column: z.string().regex(/^m[0-9]+$/) })),
});
type IndexDescription = z.output<typeof descriptionSchema>;

/**
 * Extra candidates fetched beyond k: LanceDB ranks in f32, and the final order and scores come
 * from exact float64 scoring here (as the flat index does), so near-ties at the k-th place are
 * decided the same way.
 */
/** Vectors per write of copyOf: LanceDB writes one data file per add, so they go in large batches. */
const COPY_BATCH_ROWS = 65536;
/** Ids per duplicate lookup. */
const PRESENT_CHUNK = 1024;

function candidatesFor(k: number): number {
  return k + Math.max(8, k);
}

// Loaded on first use: LanceDB's native module and Arrow are large, and importing @cvf/core/node
// (every CLI command, the edge runtime) must not pay for them unless a disk index is opened.
async function lancedb(): Promise<typeof import('@lancedb/lancedb')> {
  return import('@lancedb/lancedb');
}

async function arrow(): Promise<typeof import('apache-arrow')> {
  return import('apache-arrow');
}

/**
 * A vector index in an embedded LanceDB table (a folder on disk): vectors beyond memory, with the
 * metric semantics, metadata filters and exact scores of the in-memory flat index. Searches are
 * brute force in LanceDB (exact, prefiltered by the `where` clause the filter becomes), then the
 * candidates are rescored in float64. Cosine stores unit vectors and searches by dot product, so
 * a zero vector scores 0 as in the flat index. Metadata fields are columns named by position
 * (m0, m1, …): their names and types are kept in cvf-index.json beside the table.
 */
export class LanceDbIndex implements DiskVectorIndex {
  readonly kind = 'lancedb' as const;
  readonly folder: string;
  readonly dim: number;
  readonly metric: VectorMetric;
  #size: number;
  readonly #connection: Connection;
  readonly #table: Table;
  readonly #fields: Map<string, MetadataColumnInfo>;
  readonly #onClose: (() => Promise<void>) | undefined;
  readonly #readOnly: boolean;

  private constructor(folder: string, description: IndexDescription, connection: Connection, table: Table, size: number, options: OpenOptions = {}) {
    this.folder = folder;
    this.dim = description.dim;
    this.metric = description.metric;
    this.#connection = connection;
    this.#table = table;
    this.#size = size;
    this.#fields = new Map(description.fields.map((f) => [f.name, f]));
    this.#onClose = options.onClose;
    this.#readOnly = options.readOnly ?? false;
  }

  /** A new, empty index in `folder` (created; an index already there is INDEX_INVALID_ARGUMENT). */
  static async create(folder: string, options: { dim: number; metric: VectorMetric }): Promise<LanceDbIndex> {
    checkDim(options.dim);
    checkMetric(options.metric);
    await mkdir(folder, { recursive: true });
    const description: IndexDescription = { dim: options.dim, metric: options.metric, fields: [] };
    const connection = await (await lancedb()).connect(folder);
    if ((await connection.tableNames()).includes(LANCEDB_TABLE)) {
      connection.close();
      throw new IndexError('INDEX_INVALID_ARGUMENT', `${folder} already holds a LanceDB index; open it instead of creating one`);
    }
    const { Field, FixedSizeList, Float32, Int32, Schema } = await arrow();
    const schema = new Schema([new Field('id', new Int32(), false), new Field('vector', new FixedSizeList(options.dim, new Field('item', new Float32(), true)), false)]);
    const table = await connection.createEmptyTable(LANCEDB_TABLE, schema);
    await writeDescription(folder, description);
    return new LanceDbIndex(folder, description, connection, table, 0);
  }

  /** Opens the index in `folder`; INDEX_CORRUPT when its description or table is missing or does not agree. */
  static async open(folder: string, options: OpenOptions = {}): Promise<LanceDbIndex> {
    const description = await readDescription(folder);
    const connection = await (await lancedb()).connect(folder);
    let table: Table;
    try {
      table = await connection.openTable(LANCEDB_TABLE);
    } catch (cause) {
      connection.close();
      throw new IndexError('INDEX_CORRUPT', `${folder} has no readable LanceDB table "${LANCEDB_TABLE}": ${(cause as Error).message}`, { cause });
    }
    const vector = (await table.schema()).fields.find((f) => f.name === 'vector');
    // By type id, not instanceof: LanceDB builds its schema with its own copy of apache-arrow.
    const { DataType } = await arrow();
    const width = vector && DataType.isFixedSizeList(vector.type) ? (vector.type as FixedSizeList).listSize : undefined;
    if (width !== description.dim) {
      table.close();
      connection.close();
      throw new IndexError('INDEX_CORRUPT', `${folder}: ${LANCEDB_DESCRIPTION_FILE} says dim ${description.dim}, but the table's vectors have ${width ?? 'no'} dimensions`);
    }
    return new LanceDbIndex(folder, description, connection, table, await table.countRows(), options);
  }

  get size(): number {
    return this.#size;
  }

  async add(id: number, vector: ArrayLike<number>, metadata?: VectorMetadata): Promise<void> {
    checkVector(vector, this.dim, `vector of id ${id}`);
    await this.addBatch([id], vector, [metadata]);
  }

  async addBatch(ids: ArrayLike<number>, vectors: ArrayLike<number>, metadata?: readonly (VectorMetadata | undefined)[]): Promise<void> {
    this.#writable('add vectors to');
    const rows = checkRows(vectors, this.dim, 'vectors');
    if (rows !== ids.length) throw new IndexError('INDEX_DIMENSION_MISMATCH', `${ids.length} ids for ${rows} vectors`);
    if (metadata !== undefined && metadata.length !== rows) throw new IndexError('INDEX_INVALID_ARGUMENT', `${metadata.length} metadata entries for ${rows} vectors`);
    if (rows === 0) return;
    const idList = Array.from(ids);
    idList.forEach(checkId);
    const seen = new Set<number>();
    for (const id of idList) {
      if (seen.has(id)) throw new IndexError('INDEX_DUPLICATE_ID', `id ${id} is given twice in one batch`);
      seen.add(id);
    }
    const present = await this.#present(idList);
    if (present.length > 0) throw new IndexError('INDEX_DUPLICATE_ID', `id ${present[0]} is already in the index`);
    const stored = new Float32Array(rows * this.dim);
    for (let r = 0; r < rows; r++) stored.set(storedVector(this.metric, vectors, r * this.dim, this.dim), r * this.dim);
    await this.#append(idList, stored, metadata ?? []);
  }

  /**
   * A new index in `folder` holding every vector of an in-memory index, as that index stores them
   * (so scores match it bit for bit), with its metadata. Its ids are unique and its vectors checked
   * already, so the batches go in without the per-add lookups.
   */
  static async copyOf(folder: string, source: VectorIndex): Promise<LanceDbIndex> {
    const index = await LanceDbIndex.create(folder, { dim: source.dim, metric: source.metric });
    const ids = source.ids();
    for (let start = 0; start < ids.length; start += COPY_BATCH_ROWS) {
      const batch = Array.from(ids.subarray(start, Math.min(ids.length, start + COPY_BATCH_ROWS)));
      const vectors = new Float32Array(batch.length * source.dim);
      batch.forEach((id, r) => vectors.set(source.getVector(id), r * source.dim));
      await index.#append(batch, vectors, batch.map((id) => source.getMetadata(id)));
    }
    return index;
  }

  /** Appends rows whose ids are new and whose vectors are stored already (unit length for cosine). */
  async #append(ids: readonly number[], stored: Float32Array, metadata: readonly (VectorMetadata | undefined)[]): Promise<void> {
    await this.#addFields(metadata);
    const records = ids.map((id, r) => {
      const record: Record<string, unknown> = { id, vector: Array.from(stored.subarray(r * this.dim, (r + 1) * this.dim)) };
      for (const field of this.#fields.values()) record[field.column] = metadata[r]?.[field.name] ?? null;
      return record;
    });
    await this.#table.add(records);
    this.#size += ids.length;
  }

  async delete(id: number): Promise<boolean> {
    this.#writable('delete from');
    checkId(id);
    if (!(await this.has(id))) return false;
    await this.#table.delete(`id = ${id}`);
    this.#size -= 1;
    return true;
  }

  async has(id: number): Promise<boolean> {
    return (await this.#present([id])).length > 0;
  }

  async getMetadata(id: number): Promise<VectorMetadata | undefined> {
    checkId(id);
    const rows = await this.#table.query().where(`id = ${id}`).select(this.#fields.size > 0 ? [...this.#fields.values()].map((f) => f.column) : ['id']).toArrow();
    return rows.numRows === 0 ? undefined : this.#metadataOf(rows, 0);
  }

  /** The stored vector (unit length for cosine). */
  async getVector(id: number): Promise<Float32Array> {
    checkId(id);
    const rows = await this.#table.query().where(`id = ${id}`).select(['vector']).toArrow();
    if (rows.numRows === 0) throw new IndexError('INDEX_ID_NOT_FOUND', `id ${id} is not in the index`);
    return Float32Array.from(rows.getChild('vector')!.get(0)!.toArray() as Float32Array);
  }

  async ids(): Promise<Int32Array> {
    const rows = await this.#table.query().select(['id']).toArrow();
    return rows.numRows === 0 ? new Int32Array(0) : Int32Array.from(rows.getChild('id')!.toArray() as Int32Array);
  }

  async search(query: ArrayLike<number>, options: SearchOptions): Promise<SearchHit[]> {
    checkVector(query, this.dim, 'query');
    return (await this.searchBatch(query, options))[0]!;
  }

  async searchBatch(queries: ArrayLike<number>, options: SearchOptions): Promise<SearchHit[][]> {
    checkK(options.k);
    const rows = checkRows(queries, this.dim, 'queries');
    const where = options.filter !== undefined ? filterToSql(options.filter, this.#fields) : null;
    const out: SearchHit[][] = [];
    for (let r = 0; r < rows; r++) out.push(this.#size === 0 ? [] : await this.#searchOne(Array.from({ length: this.dim }, (_, j) => queries[r * this.dim + j]!), options.k, where));
    return out;
  }

  async close(): Promise<void> {
    this.#table.close();
    this.#connection.close();
    await this.#onClose?.();
  }

  async #searchOne(query: number[], k: number, where: string | null): Promise<SearchHit[]> {
    // The query as the flat index scores it: f32, unit length for cosine.
    const stored = storedVector(this.metric, query, 0, this.dim);
    let search = this.#table.vectorSearch(stored).distanceType(this.metric === 'l2' ? 'l2' : 'dot').select(['id', 'vector']).limit(candidatesFor(k));
    if (where !== null) search = search.where(where);
    const candidates = await search.toArrow();
    if (candidates.numRows === 0) return [];
    const ids = candidates.getChild('id')!;
    const vectors = candidates.getChild('vector')!;
    const hits: SearchHit[] = [];
    for (let i = 0; i < candidates.numRows; i++) hits.push({ id: ids.get(i) as number, score: this.#exact(stored, vectors.get(i)!.toArray() as Float32Array) });
    return sortHits(this.metric, hits).slice(0, k);
  }

  /** The flat index's exact score: float64 sums over the f32 query and vector (squared distance for l2). */
  #exact(q: Float32Array, x: Float32Array): number {
    let sum = 0;
    if (this.metric === 'l2') {
      for (let j = 0; j < this.dim; j++) sum += (q[j]! - x[j]!) * (q[j]! - x[j]!);
      return sum;
    }
    for (let j = 0; j < this.dim; j++) sum += q[j]! * x[j]!;
    return sum;
  }

  /** A bundle's table is read only: it was verified once and is what the manifest's checksums describe. */
  #writable(action: string): void {
    if (this.#readOnly) throw new IndexError('INDEX_INVALID_ARGUMENT', `the LanceDB index in ${this.folder} was opened read-only (a bundle's case index); cannot ${action} it — train a new bundle instead`);
  }

  /** Which of `ids` the table holds, asked in chunks so no where clause grows with the batch. */
  async #present(ids: readonly number[]): Promise<number[]> {
    if (this.#size === 0) return [];
    const found: number[] = [];
    for (let start = 0; start < ids.length; start += PRESENT_CHUNK) {
      const chunk = ids.slice(start, start + PRESENT_CHUNK);
      const rows = await this.#table.query().where(`id IN (${chunk.join(', ')})`).select(['id']).toArrow();
      if (rows.numRows > 0) found.push(...(rows.getChild('id')!.toArray() as Int32Array));
    }
    return found;
  }

  #metadataOf(rows: ArrowTable, row: number): VectorMetadata | undefined {
    const metadata: Record<string, string | number> = {};
    for (const field of this.#fields.values()) {
      const value = rows.getChild(field.column)?.get(row) as string | number | null | undefined;
      if (value !== null && value !== undefined) metadata[field.name] = value;
    }
    return Object.keys(metadata).length > 0 ? metadata : undefined;
  }

  /** Checks the batch's metadata against the fields' types and adds a column for each new field. */
  async #addFields(metadata: readonly (VectorMetadata | undefined)[]): Promise<void> {
    const added: MetadataColumnInfo[] = [];
    for (const entry of metadata) {
      if (entry === undefined) continue;
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        throw new IndexError('INDEX_INVALID_METADATA', `metadata must be an object of string or number fields, not ${JSON.stringify(entry)}`);
      }
      for (const [name, value] of Object.entries(entry)) {
        const type = typeof value;
        if (type !== 'string' && !(type === 'number' && Number.isFinite(value))) {
          throw new IndexError('INDEX_INVALID_METADATA', `metadata field "${name}" = ${JSON.stringify(value)}: values must be strings or finite numbers`);
        }
        const known = this.#fields.get(name) ?? added.find((f) => f.name === name);
        if (known && known.type !== type) throw new IndexError('INDEX_INVALID_METADATA', `metadata field "${name}" holds ${known.type}s; ${JSON.stringify(value)} is a ${type}`);
        if (!known) added.push({ name, type: type as 'number' | 'string', column: `m${this.#fields.size + added.length}` });
      }
    }
    if (added.length === 0) return;
    await this.#table.addColumns(added.map((f) => ({ name: f.column, valueSql: `CAST(NULL AS ${f.type === 'number' ? 'DOUBLE' : 'STRING'})` })));
    for (const field of added) this.#fields.set(field.name, field);
    await writeDescription(this.folder, { dim: this.dim, metric: this.metric, fields: [...this.#fields.values()] });
  }
}

async function writeDescription(folder: string, description: IndexDescription): Promise<void> {
  await writeFile(join(folder, LANCEDB_DESCRIPTION_FILE), `${JSON.stringify(description, null, 2)}\n`);
}

async function readDescription(folder: string): Promise<IndexDescription> {
  let text: string;
  try {
    text = await readFile(join(folder, LANCEDB_DESCRIPTION_FILE), 'utf8');
  } catch (cause) {
    throw new IndexError('INDEX_CORRUPT', `${folder} is not a LanceDB index of CV Factory (${LANCEDB_DESCRIPTION_FILE} is missing)`, { cause });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new IndexError('INDEX_CORRUPT', `${join(folder, LANCEDB_DESCRIPTION_FILE)} is not JSON`, { cause });
  }
  const parsed = descriptionSchema.safeParse(raw);
  if (!parsed.success) throw new IndexError('INDEX_CORRUPT', `${join(folder, LANCEDB_DESCRIPTION_FILE)} does not describe an index: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
