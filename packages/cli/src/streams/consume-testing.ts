// What the `cvf consume` tests share: a small trained model, a real `cvf consume` child process,
// and an HTTP server of referenced images that can hold its answers. Not for production code.
import { Rng } from '@cvf/core';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { patternPipeline, patternPng, writePatternFolders } from '../testing/pattern-images.js';
import { runCli } from '../testing/run-cli.js';

/** Trains the pattern model (hbars, vbars, square) in `dir`; returns its bundle folder. */
export async function trainPatternBundle(dir: string): Promise<string> {
  await writePatternFolders(join(dir, 'images'), { perClass: 12, seed: 5 });
  writeFileSync(join(dir, 'pipeline.yaml'), patternPipeline({ name: 'consume', root: join(dir, 'images'), store: join(dir, '.cvf'), model: 'patterns' }));
  const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
  expect(trained.exitCode, trained.stderr).toBe(0);
  return (JSON.parse(trained.stdout.trim().split('\n').at(-1)!) as { bundle: string }).bundle;
}

/** `count` low-noise pattern PNGs (class i % 3) — the model's inputs in the consume tests. */
export async function patternImages(count: number, seed: number): Promise<Uint8Array[]> {
  const rng = new Rng(seed);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) out.push(await patternPng(i % 3, rng, 4));
  return out;
}

const main = fileURLToPath(new URL('../main.ts', import.meta.url));

/** A `cvf consume` child process: its output so far, and how it ended. */
export interface ConsumeProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when a signal ended it) once it has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `cvf consume ...args` as its own process (tsx as a loader, so a signal reaches the consumer itself). */
export function startConsume(args: readonly string[]): ConsumeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', main, 'consume', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/**
 * Polls `condition` until it holds; fails naming `what` (and what the process printed) when the
 * process exits first or after `limitMs` — a hang, not a measurement.
 */
export async function waitUntil(what: string, condition: () => Promise<boolean>, process?: ConsumeProcess, limitMs = 90_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  let exited = false;
  void process?.exited.then(() => (exited = true));
  while (!(await condition())) {
    if (exited || Date.now() > deadline) {
      throw new Error(`${exited ? 'cvf consume exited' : 'gave up'} before ${what}; stdout:\n${process?.stdout().slice(-3000)}\nstderr:\n${process?.stderr().slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * An HTTP server of referenced images: GET /image/N answers image N as PNG, unless the server
 * holds — then requests wait (and are counted) until `release()`. /missing/... answers 404.
 */
export interface ReferenceServer {
  readonly url: string;
  /** Paths of the requests held so far. */
  readonly held: readonly string[];
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startReferenceServer(images: readonly Uint8Array[]): Promise<ReferenceServer> {
  let holding = false;
  const held: string[] = [];
  const waiting: (() => void)[] = [];
  const answer = (request: IncomingMessage, response: ServerResponse) => {
    const match = /^\/image\/(\d+)$/.exec(request.url ?? '');
    const image = match ? images[Number(match[1])] : undefined;
    if (!image) response.writeHead(404, { 'content-type': 'text/plain' }).end('no such image\n');
    else response.writeHead(200, { 'content-type': 'image/png', 'content-length': image.length }).end(image);
  };
  const server = createServer((request, response) => {
    if (!holding) return answer(request, response);
    held.push(request.url ?? '');
    waiting.push(() => {
      if (!response.destroyed) answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    held,
    hold: () => void (holding = true),
    release: () => {
      holding = false;
      waiting.splice(0).forEach((go) => go());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
