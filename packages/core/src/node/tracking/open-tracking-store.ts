import { resolve } from 'node:path';
import { isPostgresLocation, parsePostgresLocation } from './postgres/location.js';
import { PostgresTrackingStore } from './postgres/postgres-store.js';
import { SqliteTrackingStore } from './sqlite-store.js';
import type { TrackingStore } from './tracking-store.js';

/**
 * Opens the tracking store at `location`: PostgreSQL for a postgres:// (or postgresql://) URL,
 * otherwise SQLite in that folder (created if needed). The one way every program opens a store.
 */
export async function openTrackingStore(location: string, options: { cwd?: string } = {}): Promise<TrackingStore> {
  return isPostgresLocation(location) ? PostgresTrackingStore.open(location, options) : SqliteTrackingStore.open(location);
}

/**
 * The folder of a store's files (artifacts, bundles, inference log, audit trail) without opening
 * it: the SQLite folder itself, or a PostgreSQL URL's `artifacts=DIR` (default `.cvf`).
 */
export function trackingStoreFolder(location: string, cwd = process.cwd()): string {
  return isPostgresLocation(location) ? parsePostgresLocation(location, cwd).root : resolve(cwd, location);
}
