import { TrackingError } from '@cvf/core';
import { isPostgresLocation, openTrackingStore, type TrackingStore } from '@cvf/core/node';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The folder name of a tracking store, and `tracking.store`'s default in the pipeline schema. */
export const STORE_FOLDER = '.cvf';
/** The database file that makes a folder a tracking store. */
const DATABASE_FILE = 'tracking.db';

/** Where a store came from, as the CLI tells the user. */
export type StoreSource = '--store' | 'CVF_STORE' | 'tracking.store' | 'found' | 'new';

export interface StoreLocation {
  /** The store: the absolute path of its folder, or a postgres:// URL as given. */
  readonly root: string;
  readonly source: StoreSource;
}

export interface LocateStoreOptions {
  /** The `--store` option, when given. */
  readonly flag?: string | undefined;
  /** `tracking.store` of a pipeline config, for commands that read one (train). */
  readonly configStore?: string | undefined;
  /**
   * `read`: the store must exist (runs, models, predict NAME@ALIAS, serve, studio) — a missing
   * one is refused rather than created empty. `create`: a store is made where none is found (train).
   */
  readonly use: 'read' | 'create';
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Finds the tracking store the way a user expects, first match wins: `--store`, then the
 * `CVF_STORE` environment variable, then the config's `tracking.store` (when it names another
 * folder than the default `.cvf`), then the nearest `.cvf/` holding a database in the working
 * folder or one above it (as git finds `.git/`), then — for `create` only — `./.cvf`.
 * Relative paths are resolved against the working folder. A postgres:// URL names a PostgreSQL
 * store; it is taken as given (whether it exists is known when it is opened).
 */
export function locateStore(options: LocateStoreOptions): StoreLocation {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const named = firstNamed(options, env);
  if (named) {
    if (isPostgresLocation(named.path)) return { root: named.path, source: named.source };
    const root = resolve(cwd, named.path);
    if (options.use === 'read' && !isStore(root)) throw missingNamedStore(root, named.source);
    return { root, source: named.source };
  }
  const found = nearestStore(cwd);
  if (found) return { root: found, source: 'found' };
  if (options.use === 'create') return { root: resolve(cwd, STORE_FOLDER), source: 'new' };
  throw new TrackingError(
    'TRACKING_STORE_NOT_FOUND',
    `no tracking store found: no --store, no CVF_STORE, and no ${STORE_FOLDER}/ with a ${DATABASE_FILE} in ${cwd} or any folder above it; ` +
      `pass --store DIR, set CVF_STORE, or run cvf train first (it creates ./${STORE_FOLDER})`,
  );
}

/** Opens the store `locateStore` finds, SQLite or PostgreSQL (the caller closes it). */
export function openStore(options: LocateStoreOptions): Promise<TrackingStore> {
  return openTrackingStore(locateStore(options).root, options.cwd === undefined ? {} : { cwd: options.cwd });
}

function firstNamed(options: LocateStoreOptions, env: Readonly<Record<string, string | undefined>>): { path: string; source: StoreSource } | undefined {
  if (options.flag) return { path: options.flag, source: '--store' };
  if (env.CVF_STORE) return { path: env.CVF_STORE, source: 'CVF_STORE' };
  // The schema fills in `.cvf` when a config names no store: that default means "the usual place", found by the search below.
  if (options.configStore && options.configStore !== STORE_FOLDER) return { path: options.configStore, source: 'tracking.store' };
  return undefined;
}

/** The closest `<folder>/.cvf` holding a database, from `cwd` up to the file-system root. */
function nearestStore(cwd: string): string | undefined {
  for (let folder = resolve(cwd); ; folder = dirname(folder)) {
    const candidate = join(folder, STORE_FOLDER);
    if (isStore(candidate)) return candidate;
    if (dirname(folder) === folder) return undefined;
  }
}

function isStore(root: string): boolean {
  const database = join(root, DATABASE_FILE);
  return existsSync(database) && statSync(database).isFile();
}

function missingNamedStore(root: string, source: StoreSource): TrackingError {
  const what = existsSync(root) ? `${root} holds no ${DATABASE_FILE}` : `${root} does not exist`;
  return new TrackingError('TRACKING_STORE_NOT_FOUND', `no tracking store at ${root} (from ${source}): ${what}; a store is created by cvf train`);
}
