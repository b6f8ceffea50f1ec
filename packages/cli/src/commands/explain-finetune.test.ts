import { attr, decodeComponentState, loadBundle, onnxFloatInitializers, OnnxGraphBuilder, Rng } from '@cvf/core';
import { bundleSourceAt, openTrackingStore } from '@cvf/core/node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternPipeline, patternPng, PATTERN_CLASSES, writePatternFolders } from '../testing/pattern-images.js';
import { runCli } from '../testing/run-cli.js';
import { explainJson, trainBundle } from '../testing/trained-bundle.js';

// features.finetune end to end on a tiny backbone built here (a conv stem, a residual block, a
// strided conv; 16×16 gray patterns): `cvf validate` refuses more blocks than it has at the
// line of `unfreeze`; `cvf train` trains the last block only (with flips drawn per batch, early
// stopping on val, both recorded), the bundle's extractor is the fine-tuned graph, it predicts,
// and `cvf explain --method gradcam` reads it.

/** The backbone: image `pixels` [batch, 1, 16, 16] → `embedding` [batch, 6]; blocks conv, residual, conv. */
function backbone(rng: Rng): Uint8Array {
  const g = new OnnxGraphBuilder('tiny-backbone');
  const w = (name: string, dims: number[], low = -0.5, high = 0.5) => g.initializer(name, rng.floats(dims.reduce((a, b) => a * b, 1), low, high), dims);
  const bn = (x: string, name: string, c: number) => g.node('BatchNormalization', [x, w(`${name}.scale`, [c], 0.5, 1.5), w(`${name}.bias`, [c]), w(`${name}.mean`, [c], -0.1, 0.1), w(`${name}.var`, [c], 0.5, 1.5)], { attributes: [attr.float('epsilon', 1e-5)] })[0]!;
  const conv = (x: string, name: string, cin: number, cout: number, stride = 1) => g.conv(x, w(`${name}.weight`, [cout, cin, 3, 3]), undefined, { kernelShape: [3, 3], strides: [stride, stride], pads: [1, 1, 1, 1] });
  let h = g.maxPool(g.relu(bn(conv(g.input('pixels', 'float32', ['batch', 1, 16, 16]), 'stem', 1, 4), 'stem.bn', 4)), { kernelShape: [2, 2], strides: [2, 2] });
  h = g.relu(g.add(bn(conv(g.relu(bn(conv(h, 'res.conv1', 4, 4), 'res.bn1', 4)), 'res.conv2', 4, 4), 'res.bn2', 4), h));
  h = g.relu(bn(conv(h, 'last', 4, 6, 2), 'last.bn', 6));
  g.output(g.flatten(g.globalAveragePool(h), 1), 'embedding', ['batch', 6]);
  return g.toBytes();
}

describe('features.finetune on an ONNX backbone', () => {
  let dir: string;
  let original: Map<string, Float32Array>;
  const config = (unfreeze: number) => {
    const text = patternPipeline({ name: 'patterns-finetune', root: join(dir, 'data'), store: join(dir, '.cvf'), model: 'patterns-finetune' })
      .split('\n')
      .filter((line) => !/^(features|pca|train):/.test(line))
      .join('\n');
    const path = join(dir, `finetune-${unfreeze}.yaml`);
    writeFileSync(path, `${text}\npca: { enabled: false }\naugment: { flip: { horizontal: 0.5 } }\ntrain: { epochs: 6, batchSize: 8, optimizer: { kind: adam, lr: 0.05 }, earlyStopping: { patience: 2 }, seed: 1 }\nfeatures:\n  kind: onnx\n  onnx: { model: backbone.onnx }\n  finetune: { unfreeze: ${unfreeze}, lr: 0.01 }\n`);
    return path;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-finetune-'));
    await writePatternFolders(join(dir, 'data'), { perClass: 8, seed: 5 });
    const model = backbone(new Rng(4));
    writeFileSync(join(dir, 'backbone.onnx'), model);
    original = onnxFloatInitializers(model);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('cvf validate: unfreeze beyond the backbone is refused at its line, naming how many blocks it has', async () => {
    const path = config(4);
    const result = await runCli('validate', path, '--json');
    expect(result.exitCode).not.toBe(0);
    const line = readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes('unfreeze')) + 1;
    expect(result.stdout).toContain(`finetune-4.yaml:${line}:`);
    expect(result.stdout).toMatch(/features\.finetune\.unfreeze.*unfreeze is 4, but the backbone has 3 blocks/);
  });

  it('cvf train: only the last block changes; the bundle predicts and explains with the fine-tuned graph', async () => {
    const bundle = await trainBundle(config(1));
    const loaded = await loadBundle(await bundleSourceAt(bundle));
    const extractor = loaded.manifest.stages.find((s) => s.kind === 'extractor')!;
    const served = onnxFloatInitializers(decodeComponentState(loaded.files.get((extractor.files as { state: string }).state)!, 'onnx', [1]).body);
    for (const [name, values] of original) {
      const same = values.every((v, i) => v === served.get(name)![i]);
      expect(same, name).toBe(!name.startsWith('last.'));
    }

    // Fine-tuning with the run's augmentation, watched on val: recorded per epoch, then the epochs run and the best one kept.
    const store = await openTrackingStore(join(dir, '.cvf'));
    const [run] = await store.listRuns({ limit: 1 });
    const history = (key: string) => store.getMetricHistory(run!.id, key);
    const valLosses = await history('finetune.val.loss');
    const [epochs] = await history('finetune.epochs');
    const [best] = await history('finetune.best_epoch');
    await store.close();
    expect(valLosses.length).toBe(epochs!.value);
    expect(valLosses.map((p) => p.step)).toEqual(Array.from({ length: epochs!.value }, (_, k) => k + 1));
    expect(Math.min(...valLosses.map((p) => p.value))).toBe(valLosses[best!.value - 1]!.value);

    const square = join(dir, 'square.png');
    writeFileSync(square, await patternPng(PATTERN_CLASSES.indexOf('square'), new Rng(9), 10));
    const predicted = await runCli('predict', bundle, square, '--device', 'cpu', '--json');
    expect(predicted.exitCode, predicted.stdout + predicted.stderr).toBe(0);
    expect(predicted.stdout).toContain('"probabilities"');

    const result = await explainJson(bundle, square, '--method', 'gradcam');
    expect(result.method).toBe('gradcam');
    expect(result.map).toMatchObject({ height: 16, width: 16 });
  });
});
