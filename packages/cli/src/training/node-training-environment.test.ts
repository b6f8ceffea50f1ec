import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_VERSION, CpuDevice, parsePipelineConfig } from '@cvf/core';
import { afterAll, expect, it, vi } from 'vitest';
import { nodeTrainingEnvironment } from './node-training-environment.js';

// The CLI's own version differs here, so the test tells the two apart.
vi.mock('../version.js', () => ({ CLI_VERSION: '0.0.0-cli' }));

const dir = mkdtempSync(join(tmpdir(), 'cvf-training-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("records @cvf/core's own version for the bundle, not the CLI's", async () => {
  const yaml = `version: 1
name: demo
data:
  source: { kind: idx, images: a.gz, labels: b.gz }
tracking:
  store: ${join(dir, 'store')}
`;
  const config = parsePipelineConfig(yaml, join(dir, 'demo.yaml'));
  const { environment, close } = await nodeTrainingEnvironment({ config, configPath: join(dir, 'demo.yaml'), device: new CpuDevice() });
  try {
    expect(environment.coreVersion).toBe(CORE_VERSION);
  } finally {
    close();
  }
});
