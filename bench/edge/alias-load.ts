// The hot-reload load test of issue 12: 20 clients upload DICOM files to `cvf serve
// fashion-mnist@production` for 10 s; a few seconds in, the alias moves from version 1 to version 2
// in the registry and the server is sent SIGHUP. Goal: zero failed requests, answers from both
// versions, and a clean drain (exit 0) on SIGTERM afterwards.
import { SqliteTrackingStore } from '@cvf/core/node';
import { FASHION_MODEL } from './bundles.js';
import { startCvfServe } from './cvf-serve.js';
import { closedLoop, modelVersionOf, warmUp, type BenchRequest, type LoadResult } from './http-load.js';

export interface AliasLoadResult extends LoadResult {
  readonly clients: number;
  readonly movedAtSecond: number;
  readonly from: number;
  readonly to: number;
  readonly exitCode: number | null;
}

async function moveAlias(store: string, version: number): Promise<void> {
  const tracking = SqliteTrackingStore.open(store);
  try {
    await tracking.setAlias(FASHION_MODEL, version, 'production');
  } finally {
    tracking.close();
  }
}

export async function aliasLoad(store: string, versions: readonly [number, number], dicom: BenchRequest, env: Readonly<Record<string, string>>, options: { clients?: number; seconds?: number } = {}): Promise<AliasLoadResult> {
  const clients = options.clients ?? 20;
  const seconds = options.seconds ?? 10;
  const movedAtSecond = seconds * 0.4;
  const [from, to] = versions;
  await moveAlias(store, from);
  // Alias checks only on SIGHUP, so the move happens when the bench says.
  const server = await startCvfServe([`${FASHION_MODEL}@production`], { store, env, args: ['--reload-interval-ms', '0'] });
  let result: LoadResult;
  let exitCode: number | null;
  try {
    await warmUp(server.url, dicom, clients);
    result = await closedLoop(server.url, dicom, {
      concurrency: clients,
      seconds,
      warmupSeconds: 0,
      versionOf: modelVersionOf,
      during: {
        atSecond: movedAtSecond,
        action: async () => {
          await moveAlias(store, to);
          server.hangup();
        },
      },
    });
  } finally {
    exitCode = await server.stop();
  }
  return { ...result, clients, movedAtSecond, from, to, exitCode };
}
