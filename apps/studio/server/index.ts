import { CORE_VERSION } from '@cvf/core';
import { isPostgresLocation, openTrackingStore } from '@cvf/core/node';
import { checkDeidOptions } from '@cvf/medical';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { defaultStudioDist } from './app-dir.js';
import { ConfigFiles } from './configs/config-files.js';
import type { StudioContext } from './context.js';
import { DatasetCache } from './data/dataset-cache.js';
import { runConfigFolder } from './data/run-config-folder.js';
import { RunTestSets } from './data/test-predictions.js';
import { StudioError } from './errors.js';
import { createRequestListener } from './http/app.js';
import { TokenAuth } from './http/auth.js';
import { isLoopbackHost } from './http/loopback.js';
import { Router } from './http/router.js';
import { StaticFiles } from './http/static-files.js';
import { RunQueue } from './queue/run-queue.js';
import type { TrainCommand } from './queue/train-command.js';
import { API_ROUTES } from './routes/index.js';
import { runOfJob } from './tracking/run-views.js';

export { defaultStudioDist } from './app-dir.js';
export { isLoopbackHost } from './http/loopback.js';
export { StudioError } from './errors.js';
export type { TrainCommand } from './queue/train-command.js';
export type { Route, RouteRequest } from './http/router.js';
export type { StudioContext } from './context.js';

export interface StudioServerOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** The tracking store: a folder (SQLite, created if missing) or a postgres:// URL. */
  store: string;
  /** The folder of pipeline configs the editor reads and writes (must exist). */
  configs: string;
  /** The built app (default: this package's dist/). */
  dist?: string;
  /** Required when `host` is not loopback: the login page asks for it. */
  token?: string;
  /** Training runs at once (default 1). */
  concurrency?: number;
  /** A DICOMweb base URL the viewer may query. */
  dicomweb?: string;
  /** PS3.15 options of the de-identification profile DICOM leaves the studio with (the names `cvf dicom deid --option` takes). */
  deidOptions?: readonly string[];
  /** How to start `cvf train`: the CLI passes itself (node, its flags, its script). */
  trainCommand: TrainCommand;
  /** The version /api/info reports (default @cvf/core's). */
  version?: string;
  /** Where server-side failures are logged (default stderr). */
  log?: (message: string) => void;
}

export interface StudioServer {
  /** http://host:port/ as a browser opens it. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** The tracking store as messages show it: its folder, or its URL without the password. */
  readonly store: string;
  /** Stops accepting, cancels queued runs, ends running ones (killed), closes the store. */
  close(): Promise<void>;
}

/** Starts the studio: the built app, the JSON API over the tracking store and configs, the run queue. */
export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const loopbackOnly = isLoopbackHost(options.host);
  if (!loopbackOnly && !options.token) {
    throw new StudioError('STUDIO_OPTIONS_INVALID', `host ${options.host} is reachable from other machines: start the studio with a token (--token) or bind it to 127.0.0.1`);
  }
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new StudioError('STUDIO_OPTIONS_INVALID', `concurrency must be an integer from 1 to 64, not ${concurrency}`);
  const log = options.log ?? ((message: string) => process.stderr.write(`cvf studio: ${message}\n`));
  const configs = new ConfigFiles(options.configs);
  // A folder (SQLite) or a postgres:// URL; the studio's own files go in the store's file folder.
  const location = isPostgresLocation(options.store) ? options.store : resolve(options.store);
  const store = await openTrackingStore(location);
  const storeDir = store.root;
  const queue = new RunQueue({
    command: options.trainCommand,
    store: location,
    concurrency,
    cwd: process.cwd(),
    findRun: (jobId) => runOfJob(store, jobId),
    // Opening the store marks runs whose process is gone as failed.
    recoverOrphans: () => void openTrackingStore(location).then((reopened) => reopened.close()),
    log,
  });
  const datasets = new DatasetCache();
  const testSets = new RunTestSets(store, datasets, (runId, runName) => runConfigFolder(runId, runName, queue, configs));
  const studio: StudioContext = { version: options.version ?? CORE_VERSION, storeDir, store, configs, queue, datasets, testSets, concurrency, dicomweb: options.dicomweb ?? null, deidOptions: checkDeidOptions(options.deidOptions), log };
  const server = createServer(
    createRequestListener({ studio, router: new Router(API_ROUTES), staticFiles: new StaticFiles(options.dist ?? defaultStudioDist()), auth: options.token ? new TokenAuth(options.token) : null, loopbackOnly }),
  );
  try {
    await new Promise<void>((done, fail) => server.once('error', fail).listen(options.port, options.host, () => done()));
  } catch (error) {
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new StudioError('STUDIO_OPTIONS_INVALID', `cannot listen on ${options.host}:${options.port}: ${code === 'EADDRINUSE' ? 'the port is in use (pass --port)' : (error as Error).message}`, { cause: error });
  }
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    server,
    store: store.location,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((done) => server.close(() => done()));
        server.closeAllConnections();
        await queue.close();
        await stopped;
        await store.close();
      })()),
  };
}
