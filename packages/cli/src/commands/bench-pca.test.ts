import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@cvf/core';
import { pythonModules, requireInCi, SYSTEM_PYTHON } from '@cvf/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

/** `cvf bench pca ...args` in-process on the real command tree. */
const cvf = (...args: string[]) => runCli('bench', 'pca', ...args);

const numpyMissing = requireInCi('numpy (python3-numpy)', pythonModules('numpy'));
const ROWS = 500;
const DIM = 40;

describe('cvf bench pca', () => {
  let file: string;
  let odd: string;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cvf-bench-pca-'));
    file = join(dir, 'data.f32');
    odd = join(dir, 'odd.f32');
    // Rows with three strong directions plus noise.
    const rng = new Rng(2);
    const directions = Array.from({ length: 3 }, () => Array.from({ length: DIM }, () => rng.normal()));
    const x = new Float32Array(ROWS * DIM);
    for (let r = 0; r < ROWS; r++) {
      const w = [3 * rng.normal(), 2 * rng.normal(), rng.normal()];
      for (let c = 0; c < DIM; c++) x[r * DIM + c] = 0.5 + 0.2 * rng.normal() + w.reduce((s, v, k) => s + v * directions[k]![c]!, 0);
    }
    await writeFile(file, new Uint8Array(x.buffer));
    await writeFile(odd, new Uint8Array(4 * DIM + 2));
  });

  it('prints {"seconds","explainedVarianceRatio"} with --json', async () => {
    const { exitCode, stdout } = await cvf('--data', file, '--dim', String(DIM), '--components', '3', '--threads', '1', '--json');
    expect(exitCode).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(['seconds', 'explainedVarianceRatio']);
    expect(result.seconds).toBeGreaterThan(0);
    expect(result.explainedVarianceRatio).toBeGreaterThan(0.9);
    expect(result.explainedVarianceRatio).toBeLessThanOrEqual(1);
  });

  it.skipIf(numpyMissing)('reports the explained variance ratio numpy finds, with either strategy', async () => {
    const script = `import numpy as np, sys
x = np.fromfile(sys.argv[1], dtype='<f4').astype(np.float64).reshape(-1, ${DIM})
w = np.linalg.eigvalsh(np.cov(x, rowvar=False))[::-1]
print(w[:3].sum() / w.sum())`;
    const want = Number(spawnSync(SYSTEM_PYTHON, ['-c', script, file], { encoding: 'utf8' }).stdout);
    for (const strategy of ['covariance', 'randomized']) {
      const { stdout } = await cvf('--data', file, '--dim', String(DIM), '--components', '3', '--strategy', strategy, '--json');
      expect(Math.abs(JSON.parse(stdout).explainedVarianceRatio - want)).toBeLessThan(1e-5);
    }
  });

  it('prints one line without --json', async () => {
    const { exitCode, stdout } = await cvf('--data', file, '--dim', String(DIM), '--components', '2', '--repeat', '2');
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(new RegExp(`^PCA ${ROWS}×${DIM} → 2 \\(covariance, onnxruntime-node cpu, 1 thread\\): [0-9.]+ s, explained variance ratio 0\\.[0-9]{6}\\n$`));
  });

  it('exits 2 with {"error":{"code","message"}} for bad arguments and data', async () => {
    const cases: [string[], string, RegExp][] = [
      [['--data', file, '--dim', 'abc', '--components', '3'], 'FEATURE_OPTION_INVALID', /--dim "abc" must be a positive integer/],
      [['--data', file, '--dim', String(DIM), '--components', '3', '--strategy', 'svd'], 'FEATURE_OPTION_INVALID', /--strategy "svd" is not one of auto, covariance, gram, randomized/],
      [['--data', odd, '--dim', String(DIM), '--components', '3'], 'FEATURE_OPTION_INVALID', /has 162 bytes, not a whole number of 40-value float32 rows/],
      [['--data', `${file}.missing`, '--dim', String(DIM), '--components', '3'], 'FILE_UNREADABLE', /cannot read --data/],
      [['--data', file, '--dim', String(DIM), '--components', '41'], 'FEATURE_OPTION_INVALID', /components 41 must be an integer in \[1, min\(samples, dim\)\] = \[1, 40\]/],
    ];
    for (const [args, code, message] of cases) {
      const { exitCode, stdout } = await cvf(...args, '--json');
      expect(exitCode, args.join(' ')).toBe(2);
      const { error } = JSON.parse(stdout);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(stdout).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});
