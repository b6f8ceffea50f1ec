import type { KernelBackend } from '../../compute/wasm/backend.js';
import { IndexError } from '../../errors.js';
import { FlatIndexBase } from '../flat/flat-base.js';
import { FlatF16Index } from '../flat/flat-f16-index.js';
import { FlatIndex } from '../flat/flat-index.js';
import { FlatInt8Index } from '../flat/flat-int8-index.js';
import { HnswIndex } from '../hnsw/hnsw-index.js';
import type { HnswSnapshot } from '../hnsw/hnsw-snapshot.js';
import type { MetadataSnapshot } from '../metadata-store.js';
import type { ScanPool } from '../threads/scan-pool.js';
import { INDEX_KINDS, VECTOR_METRICS, type IndexKind, type VectorMetric, type VectorIndex } from '../types.js';
import { decodeIndexFile, encodeIndexFile, type SectionArray } from './index-format.js';

/** VectorMetadata columns become sections `metadata.<i>`; names, types and dictionaries go in the header. */
function metadataSections(metadata: MetadataSnapshot): { fields: MetadataSnapshot['fields']; sections: Record<string, SectionArray> } {
  return { fields: metadata.fields, sections: Object.fromEntries(metadata.columns.map((c, i) => [`metadata.${i}`, c])) };
}

function metadataFrom(header: Readonly<Record<string, unknown>>, sections: Readonly<Record<string, SectionArray>>): MetadataSnapshot {
  const fields = header.metadata;
  if (!Array.isArray(fields)) throw new IndexError('INDEX_CORRUPT', 'stored index: metadata field table missing');
  const columns = fields.map((field, i) => {
    const column = sections[`metadata.${i}`];
    const ok = field && typeof field.name === 'string' && ((field.type === 'number' && column instanceof Float64Array) || (field.type === 'string' && column instanceof Int32Array && Array.isArray(field.dictionary)));
    if (!ok) throw new IndexError('INDEX_CORRUPT', `stored index: metadata field ${i} is malformed`);
    return column as Float64Array | Int32Array;
  });
  return { fields, columns };
}

/** The index's bytes in the CV Factory index format (see index-format.ts). */
export function serializeIndex(index: VectorIndex): Uint8Array {
  const header = { kind: index.kind, dim: index.dim, metric: index.metric };
  if (index instanceof HnswIndex) {
    const s = index.snapshot();
    const meta = metadataSections(s.metadata);
    return encodeIndexFile({
      header: { ...header, params: s.params, metadata: meta.fields },
      sections: { rows: s.rows, ids: s.ids, deleted: s.deleted, levels: s.levels, links0: s.links0, counts0: s.counts0, upperOffset: s.upperOffset, upper: s.upper, ...meta.sections },
    });
  }
  if (index instanceof FlatIndexBase) {
    const base = index.persistedBase();
    const state = index.persistedState();
    const meta = metadataSections(base.metadata);
    return encodeIndexFile({ header: { ...header, params: state.params, metadata: meta.fields }, sections: { ids: base.ids, ...state.sections, ...meta.sections } });
  }
  throw new IndexError('INDEX_INVALID_ARGUMENT', `cannot serialize an index of kind "${(index as VectorIndex).kind}"`);
}

/**
 * Rebuilds an index from its bytes; damaged or foreign bytes throw IndexError('INDEX_CORRUPT').
 * `pool`: flat kinds are loaded into shared memory for searchParallel/searchBatchParallel.
 */
export async function deserializeIndex(bytes: Uint8Array, options: { backend?: KernelBackend; pool?: ScanPool } = {}): Promise<VectorIndex> {
  const { header, sections } = decodeIndexFile(bytes);
  const kind = header.kind as IndexKind;
  const dim = header.dim as number;
  const metric = header.metric as VectorMetric;
  if (!INDEX_KINDS.includes(kind)) throw new IndexError('INDEX_CORRUPT', `stored index has unknown kind ${JSON.stringify(kind)}`);
  if (!VECTOR_METRICS.includes(metric) || !Number.isInteger(dim) || dim < 1) throw new IndexError('INDEX_CORRUPT', `stored index has bad dim ${dim} or metric ${JSON.stringify(metric)}`);
  const params = (header.params ?? {}) as Record<string, unknown>;
  const metadata = metadataFrom(header, sections);
  const backend = options.backend ? { backend: options.backend } : {};
  if (kind === 'hnsw') {
    const need = { rows: Float32Array, ids: Int32Array, deleted: Uint8Array, levels: Uint8Array, links0: Int32Array, counts0: Uint16Array, upperOffset: Int32Array, upper: Int32Array };
    for (const [name, type] of Object.entries(need)) {
      if (!(sections[name] instanceof type)) throw new IndexError('INDEX_CORRUPT', `stored hnsw index lacks section "${name}" of type ${type.name}`);
    }
    const p = params as HnswSnapshot['params'];
    for (const key of ['M', 'efConstruction', 'efSearch', 'rng', 'entry', 'maxLevel', 'nodes'] as const) {
      if (!Number.isInteger(p[key])) throw new IndexError('INDEX_CORRUPT', `stored hnsw index: parameter ${key} = ${JSON.stringify(p[key])}`);
    }
    return HnswIndex.fromSnapshot({ dim, metric, ...backend }, { params: p, ...(sections as unknown as Omit<HnswSnapshot, 'params' | 'metadata'>), metadata });
  }
  const ids = sections.ids;
  if (!(ids instanceof Int32Array)) throw new IndexError('INDEX_CORRUPT', 'stored index lacks its ids');
  const common = { dim, metric, ...backend, ...(options.pool ? { pool: options.pool } : {}) };
  const index =
    kind === 'flat'
      ? await FlatIndex.create(common)
      : kind === 'flat-f16'
        ? await FlatF16Index.create(common)
        : await FlatInt8Index.create({ ...common, ...(typeof params.rescore === 'number' ? { rescore: params.rescore } : {}), ...(params.rescoring === 'none' ? { rescoring: 'none' as const } : {}) });
  index.restore(ids, metadata, sections, params);
  return index;
}
