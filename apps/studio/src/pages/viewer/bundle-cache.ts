import { deleteBundleFromIndexedDB, httpSource, indexedDbSource, listBundlesInIndexedDB, loadBundle, saveBundleToIndexedDB, type Bundle } from '@cvf/core';
import { api } from '../../api/client.js';
import type { ModelChoice } from './model-choices.js';

/** What the cache badge says: the bundle is cached, being downloaded, or an older copy of it was replaced. */
export type CacheState = 'cached' | 'downloading' | 'stale';

/** The IndexedDB key of a registered bundle: name, version and the digest the registry recorded (its manifest's SHA-256). */
export function cacheKey(choice: Pick<ModelChoice, 'name' | 'version' | 'digest'>): string {
  return `${choice.name}@${choice.version}#${choice.digest ?? 'unrecorded'}`;
}

export interface OpenedBundle {
  readonly bundle: Bundle;
  readonly bytes: number;
  readonly from: 'cache' | 'network';
}

/**
 * The bundle of a model version, fetched once: from IndexedDB when this name+version+digest is
 * cached (verified again on load), else from the studio server through core's httpSource, checked
 * against the registry's digest, saved, and any other copy of the same name@version dropped
 * (a stale one: the registry's digest moved on). `onState` follows the badge.
 */
export async function openCachedBundle(choice: ModelChoice, onState: (state: CacheState) => void): Promise<OpenedBundle> {
  const key = cacheKey(choice);
  const cached = await listBundlesInIndexedDB();
  const hit = cached.find((c) => c.key === key);
  const digest = choice.digest ? { digest: choice.digest } : {};
  if (hit) {
    onState('cached');
    return { bundle: await loadBundle(indexedDbSource(key), digest), bytes: hit.bytes, from: 'cache' };
  }
  const stale = cached.filter((c) => c.key !== key && c.key.startsWith(`${choice.name}@${choice.version}#`));
  onState(stale.length > 0 ? 'stale' : 'downloading');
  const bundle = await loadBundle(httpSource(new URL(api.bundleUrl(choice.name, choice.version), location.href)), digest);
  const saved = await saveBundleToIndexedDB(bundle, key);
  for (const old of stale) await deleteBundleFromIndexedDB(old.key);
  onState('cached');
  return { bundle, bytes: saved.bytes, from: 'network' };
}

/** The bundles in this browser's cache as model choices: what the viewer offers when the studio server cannot be reached. */
export async function cachedChoices(): Promise<ModelChoice[]> {
  return (await listBundlesInIndexedDB()).flatMap((c) => {
    const match = /^(.+)@(\d+)#(.+)$/.exec(c.key);
    if (!match) return [];
    return [{ name: match[1]!, version: Number(match[2]), aliases: [], digest: match[3] === 'unrecorded' ? null : match[3]!, createdAt: Date.parse(c.savedAt) }];
  });
}
