import { defineConfig } from 'vitest/config';

// One run over every workspace. `source` resolves @cvf/* packages to their TypeScript sources,
// so tests never run against a stale build.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/server/**/*.test.ts', 'e2e/**/*.test.ts', 'infra/**/*.test.ts'],
    // lavapipe and SwiftShader run WebGPU on the CPU: correct, but slow.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.cvf-test/results.json' },
  },
});
