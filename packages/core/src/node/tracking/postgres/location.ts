import { resolve } from 'node:path';
import { TrackingError } from '../../../errors.js';

/** A location names a PostgreSQL store when it is a postgres:// or postgresql:// URL. */
export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export interface PostgresLocation {
  /** The URL given to the driver (without the `artifacts` parameter). */
  readonly connectionString: string;
  /** The folder of run files (artifacts, bundles). */
  readonly root: string;
  /** The URL without its password, for messages. */
  readonly display: string;
}

/**
 * Reads `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?artifacts=DIR]`. Run files (artifacts and the
 * bundles training writes) stay on a file system, as in the SQLite store: in `artifacts=DIR` when
 * given (a volume every writer mounts), otherwise in `.cvf` of the working folder. A relative
 * DIR is resolved against the working folder.
 */
export function parsePostgresLocation(location: string, cwd = process.cwd()): PostgresLocation {
  let url: URL;
  try {
    url = new URL(location);
  } catch (cause) {
    throw new TrackingError('TRACKING_INVALID', `"${location}" is not a PostgreSQL URL; expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?artifacts=DIR]`, { cause });
  }
  const artifacts = url.searchParams.get('artifacts');
  url.searchParams.delete('artifacts');
  const display = new URL(url.href);
  if (display.password) display.password = '***';
  return { connectionString: url.href, root: resolve(cwd, artifacts ?? '.cvf'), display: display.href };
}
