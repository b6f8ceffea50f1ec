import { TrackingError } from '@cvf/core';
import { isPostgresLocation, trackingStoreFolder } from '@cvf/core/node';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { locateStore } from './store-location.js';

/**
 * The store whose audit trail a command writes or reads: `--store` as given (an audit-only store
 * on an edge box needs no tracking database), else the store `locateStore` finds; undefined when
 * there is none, so a command without a store decides whether it may go on unaudited.
 */
export function findAuditStore(flag: string | undefined): string | undefined {
  // A PostgreSQL store keeps its audit trail in its file folder, as SQLite does in its own.
  if (flag !== undefined) return isPostgresLocation(flag) ? trackingStoreFolder(flag) : existsSync(flag) ? resolve(flag) : undefined;
  try {
    return trackingStoreFolder(locateStore({ use: 'read' }).root);
  } catch (error) {
    if (error instanceof TrackingError && error.code === 'TRACKING_STORE_NOT_FOUND') return undefined;
    throw error;
  }
}
