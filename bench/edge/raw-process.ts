// The raw ORT side of the paired goals in a process of its own, as the HTTP sides' load generator
// is (wrk-load.ts): the raw session uses every core, so nothing of the bench process (its heap of
// trained bundles and servers' results) should run beside it. Run directly, this file is that
// child (json-child.ts): the image comes as a file, the latencies go to stdout.
import type { InputContract } from '@cvf/core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rawOrtSession, runLatencies } from './ceilings.js';
import { runJsonChild } from './json-child.js';

type Contract = Pick<InputContract, 'height' | 'width' | 'channels'>;

interface Job {
  readonly bundleDir: string;
  readonly contract: Contract;
  readonly files: { readonly pixels: string };
  readonly batch: number;
  readonly seconds: number;
}

const self = fileURLToPath(import.meta.url);

/** Latencies (ms, in run order) of the bundle's composed graph run back to back on `batch` images for `seconds`, in a child process. */
export function rawLatenciesInChild(bundleDir: string, contract: Contract, pixels: Uint8Array, batch: number, seconds: number): Promise<number[]> {
  return runJsonChild<number[]>(self, { bundleDir, contract, batch, seconds }, { pixels });
}

if (process.argv[1] === self) {
  const job = JSON.parse(process.argv[2]!) as Job;
  const raw = await rawOrtSession(job.bundleDir, job.contract, new Uint8Array(readFileSync(job.files.pixels)));
  // A second unmeasured, as the HTTP sides' load warms up (wrk-load.ts): the fresh process's
  // start-up work (module compilation, its first collections) stays out of the timed runs.
  const latencies = await runLatencies(() => raw.run(job.batch), job.seconds, 1);
  await raw.release();
  process.stdout.write(JSON.stringify(latencies));
}
