import { bundleSourceAt, type TrackingStore } from '@cvf/core/node';
import { StudioError } from '../errors.js';

const META_FILES = new Set(['manifest.json', 'manifest.sig']);

/**
 * A file of a registered version's bundle, as core's `httpSource` reads it: `manifest.json`,
 * `manifest.sig`, or a file the manifest lists. Read through core's bundle sources (folder or
 * .tar), which refuse links, devices and sizes other than the manifest records.
 */
export async function readBundleFile(store: TrackingStore, name: string, version: number, file: string): Promise<Uint8Array | null> {
  const registered = await store.getVersion(name, version);
  const source = await bundleSourceAt(registered.bundle);
  const notFound = () => new StudioError('NOT_FOUND', `${name}@${version}'s bundle has no file "${file.slice(0, 200)}"`);
  if (META_FILES.has(file)) {
    const bytes = await source.read(file);
    // An unsigned bundle: null, which the route answers with 204 (a 404 is logged by browsers as a failure).
    if (!bytes && file === 'manifest.sig') return null;
    if (!bytes) throw notFound();
    return bytes;
  }
  const manifestBytes = await source.read('manifest.json');
  if (!manifestBytes) throw notFound();
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as { files?: Record<string, { size?: number }> };
  const entry = manifest.files?.[file];
  if (!entry || !Object.hasOwn(manifest.files!, file)) throw notFound();
  const bytes = await source.read(file, entry.size);
  if (!bytes) throw notFound();
  return bytes;
}
