export { SqliteTrackingStore } from './sqlite-store.js';
