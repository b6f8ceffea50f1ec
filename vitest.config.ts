import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

// One run over every workspace. `source` resolves @cvf/* packages to their TypeScript sources,
// so tests never run against a stale build.
const ALL = ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/server/**/*.test.ts', 'e2e/**/*.test.ts', 'infra/**/*.test.ts'];
// These files share worker processes and their module cache (isolate: false): a fresh process per
// file spent ~1-2 s starting Node and evaluating @cvf/core (and Dawn) again, for every file. So a
// test here restores whatever it changes (env, cwd, spies, globals). The other folders start CLI
// children, servers and Chromium and keep a process per file.
const SHARED = ['packages/core/src/**/*.test.ts', 'packages/medical/src/**/*.test.ts', 'apps/studio/src/**/*.test.ts'];

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    projects: [
      { extends: true, test: { name: 'shared', include: SHARED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ALL, exclude: [...configDefaults.exclude, ...SHARED] } },
    ],
    // Vitest's default is one worker less than the cores: one worker on a 2-core machine, where
    // most files spend their time waiting on a child (CLI, server, Chromium, Python). Two workers
    // keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // lavapipe and SwiftShader run WebGPU on the CPU: correct, but slow.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.cvf-test/results.json' },
  },
});
