import { requireInCi } from '@cvf/core/testing';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

// Real images: Debian's Fashion-MNIST (scripts/setup.sh installs it).
const FASHION = '/usr/share/datasets/fashion-mnist';
const fashionMissing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) || `no ${FASHION}`);
const main = fileURLToPath(new URL('../main.ts', import.meta.url));

describe.skipIf(fashionMissing)('cvf train stopped by a signal', () => {
  it('SIGTERM mid-training: the run is killed, --json says INTERRUPTED, the exit code is 143', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvf-sigterm-'));
    const store = join(dir, '.cvf');
    // Far more epochs than the test waits for: the signal always lands during head training.
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
name: sigterm
data:
  source: { kind: idx, images: ${FASHION}/t10k-images-idx3-ubyte.gz, labels: ${FASHION}/t10k-labels-idx1-ubyte.gz }
  limit: 300
preprocess: { resize: { height: 28, width: 28 }, color: gray }
features: { kind: hog, hog: { cellSize: 7, blockSize: 2, bins: 9 } }
model: { head: mlp, hidden: [16], dropout: 0 }
train: { epochs: 100000, batchSize: 32 }
compute: { device: cpu }
tracking: { store: ${store} }
`,
    );
    // One process (tsx as a loader, not its CLI, which would fork a grandchild the signal misses).
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', main, 'train', join(dir, 'pipeline.yaml'), '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!child.killed && /"type":"progress","stage":"train"/.test(stdout)) child.kill('SIGTERM');
    });
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    expect(child.killed, `never reached head training; stderr: ${stderr}`).toBe(true);
    // Progress events are one line each; the error report that ends the output is indented JSON.
    const report = JSON.parse(stdout.slice(stdout.indexOf('{\n')));
    expect(report.error).toMatchObject({ code: 'INTERRUPTED', message: expect.stringContaining('SIGTERM') });
    expect(stderr).not.toMatch(/INTERNAL|\n\s+at /);
    expect(exitCode).toBe(143);
    const runs = JSON.parse((await runCli('runs', 'list', '--json', '--store', store)).stdout);
    expect(runs.map((r: { status: string }) => r.status)).toEqual(['killed']);
  }, 120_000);
});
