import { bundleDigest, loadBundle } from '@cvf/core';
import { bundleSourceAt, SqliteTrackingStore } from '@cvf/core/node';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

// The committed schema v1 bundle of @cvf/core's tests, registered here as garments@2.
const FIXTURE = fileURLToPath(new URL('../../../core/src/bundle/fixtures/v1/', import.meta.url));
let dir: string;
let store: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-export-'));
  store = join(dir, '.cvf');
  const tracking = SqliteTrackingStore.open(store);
  await tracking.registerVersion('garments', { bundle: '/nowhere', metrics: {} });
  const v2 = await tracking.registerVersion('garments', { bundle: join(FIXTURE, 'bundle'), metrics: { accuracy: 1 } });
  await tracking.setAlias('garments', v2.version, 'production');
  tracking.close();
});

it('cvf models export NAME@ALIAS writes one verified .tar that tar lists, the loader reads and cvf predict serves, with the registry version', async () => {
  const out = join(dir, 'garments.tar');
  const { exitCode, stdout } = await runCli('models', 'export', 'garments@production', out, '--store', store, '--json');
  expect(exitCode).toBe(0);
  expect(JSON.parse(stdout)).toEqual({ name: 'v1-fixture', version: 2, file: out, files: 9 });
  expect(execFileSync('tar', ['-tf', out], { encoding: 'utf8' }).trim().split('\n')[0]).toBe('manifest.json');
  const bundle = await loadBundle(await bundleSourceAt(out));
  expect(bundle.manifest.version).toBe(2);
  expect(bundle.manifest.schemaVersion).toBe(2);
  expect(Array.from(bundle.files.get('head.onnx')!)).toEqual(Array.from(readFileSync(join(FIXTURE, 'bundle', 'head.onnx'))));

  // The shipped file predicts what the bundle predicted when it was written.
  const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected-predictions.json'), 'utf8')) as { file: string; probabilities: number[]; similar: { id: string }[] }[];
  const predicted = await runCli('predict', out, ...expected.map((e) => join(FIXTURE, 'inputs', e.file)), '--device', 'cpu', '--json');
  expect(predicted.exitCode, predicted.stdout + predicted.stderr).toBe(0);
  (JSON.parse(predicted.stdout) as typeof expected).forEach((p, i) => {
    p.probabilities.forEach((v, c) => expect(Math.abs(v - expected[i]!.probabilities[c]!)).toBeLessThan(1e-6));
    expect(p.similar.map((s) => s.id)).toEqual(expected[i]!.similar.map((s) => s.id));
  });

  const again = await runCli('models', 'export', 'garments@production', out, '--store', store, '--json');
  expect(again.exitCode).toBe(2);
  expect(JSON.parse(again.stdout).error).toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('already exists') });
});

it('names what is missing: an unknown alias, a version whose bundle is gone, a bad reference', async () => {
  const alias = await runCli('models', 'export', 'garments@staging', join(dir, 'a.tar'), '--store', store, '--json');
  expect(alias.exitCode).toBe(2);
  expect(JSON.parse(alias.stdout).error).toEqual({ code: 'BUNDLE_NOT_FOUND', message: expect.stringContaining('no alias "staging"') });
  const gone = await runCli('models', 'export', 'garments@1', join(dir, 'b.tar'), '--store', store, '--json');
  expect(JSON.parse(gone.stdout).error).toEqual({ code: 'BUNDLE_NOT_FOUND', message: expect.stringContaining('/nowhere') });
  const bad = await runCli('models', 'export', 'not a model', join(dir, 'c.tar'), '--store', store, '--json');
  expect(JSON.parse(bad.stdout).error.code).toBe('BUNDLE_NOT_FOUND');
});

it('a registered version whose manifest was edited after registration is refused by NAME@ALIAS (class order swapped)', async () => {
  const copy = join(dir, 'registered-bundle');
  cpSync(join(FIXTURE, 'bundle'), copy, { recursive: true });
  const digest = bundleDigest((await loadBundle(await bundleSourceAt(copy))).manifest);
  const tracking = SqliteTrackingStore.open(store);
  const version = await tracking.registerVersion('sealed', { bundle: copy, metrics: {}, bundleDigest: await digest });
  await tracking.setAlias('sealed', version.version, 'production');
  tracking.close();
  const image = join(FIXTURE, 'inputs', 'bag-231.png');
  expect((await runCli('predict', 'sealed@production', image, '--store', store, '--device', 'cpu', '--json')).exitCode).toBe(0);

  // Swapping the classes keeps every file's checksum valid, and would serve every bag as a trouser.
  const manifestPath = join(copy, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.classes.reverse();
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  const swapped = await runCli('predict', 'sealed@production', image, '--store', store, '--device', 'cpu', '--json');
  expect(swapped.exitCode).not.toBe(0);
  expect(JSON.parse(swapped.stdout).error).toEqual({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining('not the manifest that was registered') });
  // By path, the same folder has no registry record to compare with: the stages still agree, so it loads.
  expect((await runCli('predict', copy, image, '--device', 'cpu', '--json')).exitCode).toBe(0);
});
