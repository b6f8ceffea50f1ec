import { openTrackingStore, parseModelReference, resolveBundle, type ResolvedBundle } from '@cvf/core/node';
import { existsSync } from 'node:fs';
import { locateStore } from './store-location.js';

/**
 * A model named on the command line (`cvf predict`, `cvf models export|sign|verify`, `cvf serve`):
 * a bundle path is read as it is; NAME@ALIAS / NAME@VERSION is looked up in the store
 * `locateStore` finds, which must exist — and an unknown NAME is "no model named …" with the
 * models there are, whether an alias or a version follows it.
 */
export async function resolveModelArgument(argument: string, storeFlag: string | undefined): Promise<ResolvedBundle> {
  const reference = existsSync(argument) ? null : parseModelReference(argument);
  // A path, or something that is neither: resolveBundle reads it or says what it is not, without a store.
  if (!reference) return resolveBundle(argument, storeFlag ?? '');
  const { root } = locateStore({ flag: storeFlag, use: 'read' });
  const store = await openTrackingStore(root);
  try {
    if (!(await store.listModelNames()).includes(reference.name)) throw await store.modelNotFound(reference.name);
  } finally {
    await store.close();
  }
  return resolveBundle(argument, root);
}
