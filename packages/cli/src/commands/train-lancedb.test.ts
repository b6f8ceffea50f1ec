import { Rng, type BundleManifest } from '@cvf/core';
import { readBundleFolder, writeBundleFolder, writeBundleTar } from '@cvf/core/node';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { patternPipeline, patternPng, writePatternFolders } from '../testing/pattern-images.js';
import { runCli } from '../testing/run-cli.js';

interface Predicted {
  file: string;
  label: string;
  probabilities: number[];
  similar: { id: string; label: string; score: number }[];
}

function lastJsonLine(stdout: string): { bundle: string; metrics: { test: { accuracy: number } } } {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

// The same pipeline trained with the in-memory flat index and with index.kind: lancedb must serve the
// same predictions and similar cases through cvf predict: LanceDB's search is exact, as the flat one.
describe('cvf train and cvf predict with index.kind: lancedb', () => {
  let dir: string;
  let images: string[];
  const trained: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-lancedb-'));
    await writePatternFolders(join(dir, 'data'), { perClass: 14, seed: 5 });
    const rng = new Rng(77);
    images = [];
    for (let i = 0; i < 6; i++) {
      const file = join(dir, `query-${i}.png`);
      writeFileSync(file, await patternPng(i % 3, rng));
      images.push(file);
    }
    for (const [name, index, model] of [
      ['flat', 'flat', 'softmax'],
      ['lancedb', 'lancedb', 'softmax'],
      ['flat-knn', 'flat', 'knn'],
      ['lancedb-knn', 'lancedb', 'knn'],
    ] as const) {
      const config = join(dir, `${name}.yaml`);
      writeFileSync(
        config,
        patternPipeline({ name: `patterns-${name}`, root: join(dir, 'data'), store: join(dir, '.cvf'), model: `patterns-${name}` })
          .replace('index: { kind: flat, metric: cosine, k: 3 }', `index: { kind: ${index}, metric: l2, k: 4 }`)
          .replace('model: { head: softmax }', model === 'knn' ? 'model: { head: knn, knn: { k: 5 } }' : 'model: { head: softmax }'),
      );
      const result = await runCli('train', config, '--json');
      expect(result.exitCode, result.stdout.slice(-2000) + result.stderr).toBe(0);
      trained[name] = lastJsonLine(result.stdout).bundle;
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function predict(bundle: string): Promise<Predicted[]> {
    const result = await runCli('predict', bundle, ...images, '--json', '--device', 'cpu');
    expect(result.exitCode, result.stdout.slice(-2000) + result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Predicted[];
  }

  it('the bundle holds the LanceDB table folder, every file listed with its checksum', async () => {
    const manifest = JSON.parse(readFileSync(join(trained.lancedb!, 'manifest.json'), 'utf8')) as BundleManifest;
    const stage = manifest.stages.find((s) => s.kind === 'index')!;
    expect(stage).toMatchObject({ params: { kind: 'lancedb', metric: 'l2', k: 4 }, files: { index: 'index.lancedb/cvf-index.json', cases: 'cases.json' } });
    const tableFiles = Object.keys(manifest.files).filter((path) => path.startsWith('index.lancedb/'));
    expect(tableFiles.some((path) => path.startsWith('index.lancedb/cases.lance/data/'))).toBe(true);
    // Each file of the table has its own role in the stage, so its checksum is verified on load.
    expect(Object.values(stage.files).sort()).toEqual([...tableFiles, 'cases.json'].sort());
    expect(readdirSync(join(trained.lancedb!, 'index.lancedb'))).toEqual(expect.arrayContaining(['cases.lance', 'cvf-index.json']));
  });

  for (const head of ['softmax', 'knn'] as const) {
    it(`${head} head: the same labels, probabilities and similar cases as with the flat index`, async () => {
      const suffix = head === 'knn' ? '-knn' : '';
      const flat = await predict(trained[`flat${suffix}`]!);
      const lance = await predict(trained[`lancedb${suffix}`]!);
      expect(lance.map((p) => p.label)).toEqual(flat.map((p) => p.label));
      lance.forEach((got, i) => {
        const want = flat[i]!;
        // The table holds the flat index's stored vectors and both score them exactly in float64.
        expect(got.similar).toEqual(want.similar);
        expect(got.probabilities).toEqual(want.probabilities);
      });
    });
  }

  it('the bundle as one .tar serves the same predictions as its folder', async () => {
    const tar = join(dir, 'lancedb.tar');
    await writeBundleTar(await readBundleFolder(trained.lancedb!), tar);
    expect(await predict(tar)).toEqual(await predict(trained.lancedb!));
  });

  it('a damaged table file is BUNDLE_CORRUPT naming it', async () => {
    const copy = join(dir, 'damaged');
    const bundle = await readBundleFolder(trained.lancedb!);
    await writeBundleFolder(copy, bundle.manifest, bundle.files);
    const data = Object.keys(bundle.manifest.files).find((path) => path.startsWith('index.lancedb/cases.lance/data/'))!;
    const bytes = readFileSync(join(copy, data));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    writeFileSync(join(copy, data), bytes);
    const result = await runCli('predict', copy, images[0]!, '--json', '--device', 'cpu');
    expect(result.exitCode).not.toBe(0);
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining(data) });
  });

  it('a runtime without the Node adapter (the browser) refuses the bundle naming the kind', async () => {
    const bundle = await readBundleFolder(trained.lancedb!);
    // A fresh module graph of @cvf/core alone, as the browser has it: no adapter was registered there.
    vi.resetModules();
    const core = await import('@cvf/core');
    const stage = core.requireStage(bundle.manifest, 'index');
    const error = await core.STAGE_KINDS.index.load(stage, core.stageFiles(bundle, stage)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(core.IndexError);
    expect(error).toMatchObject({ code: 'INDEX_KIND_UNAVAILABLE', message: expect.stringContaining('"lancedb"') });
  });
});
