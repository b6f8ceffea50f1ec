export { openTrackingStore, trackingStoreFolder } from './open-tracking-store.js';
export { copySqliteStoreToPostgres, type StoreCopyReport } from './postgres/copy-from-sqlite.js';
export { isPostgresLocation } from './postgres/location.js';
export { PostgresTrackingStore } from './postgres/postgres-store.js';
export type { RunOverview } from './run-overviews.js';
export { SqliteTrackingStore } from './sqlite-store.js';
export type { RunFilter, TrackingStore } from './tracking-store.js';
