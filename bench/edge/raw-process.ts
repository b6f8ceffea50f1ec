// The raw ORT side of the paired c=1 goal in a process of its own, as the HTTP sides' clients are
// (load-client.ts): in the bench process, whose heap holds trained bundles, servers' results and
// ORT sessions, its garbage collector's threads ran beside the raw session's, which use every core,
// and stretched the raw p99 (bench/edge, paired slices: 23–37 ms at a p50 of 10 ms). Run directly,
// this file is that child: argv[2] is a JSON job, the image a file, the latencies JSON on stdout.
import type { InputContract } from '@cvf/core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawOrtSession, runLatencies } from './ceilings.js';
import { runJsonChild } from './json-child.js';

type Contract = Pick<InputContract, 'height' | 'width' | 'channels'>;

interface Job {
  readonly bundleDir: string;
  readonly contract: Contract;
  readonly pixelsFile: string;
  readonly seconds: number;
}

const self = fileURLToPath(import.meta.url);

/** Latencies (ms, in run order) of the bundle's composed graph run back to back at batch 1 for `seconds`, in a child process. */
export async function rawLatenciesInChild(bundleDir: string, contract: Contract, pixels: Uint8Array, seconds: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cvf-bench-raw-'));
  try {
    const pixelsFile = join(dir, 'pixels');
    writeFileSync(pixelsFile, pixels);
    const job: Job = { bundleDir, contract, pixelsFile, seconds };
    return await runJsonChild<number[]>(self, job);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === self) {
  const job = JSON.parse(process.argv[2]!) as Job;
  const raw = await rawOrtSession(job.bundleDir, job.contract, new Uint8Array(readFileSync(job.pixelsFile)));
  const latencies = await runLatencies(() => raw.run(1), job.seconds);
  await raw.release();
  process.stdout.write(JSON.stringify(latencies));
}
