import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

// The committed v1 fixture bundle of @cvf/core's tests, copied so it can be signed.
const FIXTURE = fileURLToPath(new URL('../../../core/src/bundle/fixtures/v1/', import.meta.url));

it('cvf models sign, export, verify and predict --public-key: a signed bundle travels as a .tar and is served only with a valid signature', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvf-sign-'));
  const bundle = join(dir, 'bundle');
  cpSync(join(FIXTURE, 'bundle'), bundle, { recursive: true });
  const keys = (name: string) => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, `${name}.pem`), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, `${name}.pub`), publicKey.export({ type: 'spki', format: 'pem' }));
  };
  keys('edge');
  keys('other');
  const image = join(FIXTURE, 'inputs', 'trouser-152.png');

  const unsigned = await runCli('predict', bundle, image, '--device', 'cpu', '--public-key', join(dir, 'edge.pub'), '--json');
  expect(JSON.parse(unsigned.stdout).error).toEqual({ code: 'BUNDLE_SIGNATURE_INVALID', message: expect.stringContaining('not signed') });

  const signed = await runCli('models', 'sign', bundle, '--key', join(dir, 'edge.pem'), '--json');
  expect(signed.exitCode, signed.stdout + signed.stderr).toBe(0);
  expect(JSON.parse(signed.stdout)).toMatchObject({ name: 'v1-fixture', digest: expect.stringMatching(/^[0-9a-f]{64}$/), keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });

  const shipped = join(dir, 'edge.tar');
  expect((await runCli('models', 'export', bundle, shipped, '--json')).exitCode).toBe(0);
  const verified = await runCli('models', 'verify', shipped, '--public-key', join(dir, 'edge.pub'), '--json');
  expect(JSON.parse(verified.stdout)).toMatchObject({ verified: true, digest: JSON.parse(signed.stdout).digest });
  const served = await runCli('predict', shipped, image, '--device', 'cpu', '--public-key', join(dir, 'edge.pub'), '--json');
  expect(served.exitCode, served.stdout).toBe(0);
  expect(JSON.parse(served.stdout)[0].label).toBe('trouser');

  const wrongKey = await runCli('models', 'verify', shipped, '--public-key', join(dir, 'other.pub'), '--json');
  expect(wrongKey.exitCode).toBe(2);
  expect(JSON.parse(wrongKey.stdout).error).toEqual({ code: 'BUNDLE_SIGNATURE_INVALID', message: expect.stringContaining('not by the given key') });
  const tarSign = await runCli('models', 'sign', shipped, '--key', join(dir, 'edge.pem'), '--json');
  expect(JSON.parse(tarSign.stdout).error).toEqual({ code: 'BUNDLE_INVALID', message: expect.stringContaining('sign the folder, then export it') });
});
