import { findStage, webSearchThreads, type BundleManifest, type WebSearchThreads } from '@cvf/core';

const pools = new Map<number, Promise<WebSearchThreads>>();

/**
 * The threads that search a bundle's flat case index in the viewer, created once per count and
 * kept for the page's life: its `index.threads` (absent or 0: one per core, at most 8) as Web
 * Workers over the index's shared memory — the studio is cross-origin isolated — or one thread and
 * the reason. Similar cases are the same either way; a large index answers sooner.
 */
export function viewerSearchThreads(manifest: BundleManifest): Promise<WebSearchThreads> {
  const params = findStage(manifest, 'index')?.params;
  const configured = (params && 'threads' in params ? params.threads : undefined) ?? 0;
  let found = pools.get(configured);
  if (!found) {
    found = webSearchThreads(configured);
    pools.set(configured, found);
  }
  return found;
}
