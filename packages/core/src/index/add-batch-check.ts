import { IndexError } from '../errors.js';
import type { MetadataStore, VectorMetadata } from './metadata-store.js';
import { checkId, checkRows } from './metric.js';

/**
 * Everything `addBatch` checks before an index changes, shared by every kind so a refused batch
 * leaves any index untouched: row count, ids (valid, new, not repeated) and metadata. Returns the
 * number of rows.
 */
export function checkAddBatch(
  ids: ArrayLike<number>,
  vectors: ArrayLike<number>,
  metadata: readonly (VectorMetadata | undefined)[] | undefined,
  dim: number,
  has: (id: number) => boolean,
  metadataStore: MetadataStore,
): number {
  const rows = checkRows(vectors, dim, 'vectors');
  if (rows !== ids.length) throw new IndexError('INDEX_INVALID_ARGUMENT', `${ids.length} ids for ${rows} vectors`);
  if (metadata !== undefined && metadata.length !== rows) throw new IndexError('INDEX_INVALID_ARGUMENT', `${metadata.length} metadata entries for ${rows} vectors`);
  const seen = new Set<number>();
  for (let r = 0; r < rows; r++) {
    const id = ids[r]!;
    checkId(id);
    if (has(id) || seen.has(id)) throw new IndexError('INDEX_DUPLICATE_ID', `id ${id} is already in the index; use update() to replace its vector`);
    seen.add(id);
    metadataStore.validate(metadata?.[r]);
  }
  return rows;
}
