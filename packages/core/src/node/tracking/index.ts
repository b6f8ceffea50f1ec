export { SqliteTrackingStore } from './sqlite-store.js';
export type { RunOverview } from './run-overviews.js';
