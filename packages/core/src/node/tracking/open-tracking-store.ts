import { isPostgresLocation } from './postgres/location.js';
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
