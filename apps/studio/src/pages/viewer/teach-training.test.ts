import { describe, expect, it } from 'vitest';
import { CpuDevice, STAGE_KINDS } from '@cvf/core';
import { heldOutMask, taughtStages, teachHead, toBase64 } from './teach-training.js';

describe('heldOutMask', () => {
  it('holds out every 4th of a class with 4 or more, the last of a class with 2 or 3, never a lone example', () => {
    expect(heldOutMask(['a', 'a', 'a', 'a', 'a', 'b', 'b', 'c'])).toEqual([false, false, false, true, false, false, true, false]);
    expect(heldOutMask(['a', 'b', 'a', 'a'])).toEqual([false, false, false, true]);
  });
});

describe('teachHead', () => {
  // Two separable clusters: a head trained on the kept examples must get the held-out ones right.
  const examples = Array.from({ length: 10 }, (_, i) => ({ label: i % 2 === 0 ? 'left' : 'right', features: Float32Array.from([i % 2 === 0 ? -1 - i / 10 : 1 + i / 10, 0.5, (i % 3) / 10]) }));

  it('trains a softmax head on the CPU device and scores each class on its held-out examples', async () => {
    const taught = await teachHead(new CpuDevice(), examples);
    expect(taught.classes).toEqual(['left', 'right']);
    expect(taught.heldOut).toBe(2);
    expect(taught.heldOutAccuracy).toBe(1);
    expect(taught.perClassAccuracy).toEqual({ left: 1, right: 1 });
  });

  it('refuses a single class, naming what was labelled', async () => {
    await expect(teachHead(new CpuDevice(), examples.filter((e) => e.label === 'left'))).rejects.toThrow(/at least 2 classes; labelled so far: left/);
  });

  it('saves the head and an index of the taught embeddings as bundle stages that load back', async () => {
    const taught = await teachHead(new CpuDevice(), examples);
    const stages = await taughtStages(taught, examples, 'cosine', 10);
    expect(stages.index.stage.params).toEqual({ kind: 'flat', metric: 'cosine', k: 10 });
    const files = Object.fromEntries([...stages.index.files].map(([path, bytes]) => [path === stages.index.stage.files.index ? 'index' : 'cases', bytes])) as { index: Uint8Array; cases: Uint8Array };
    const loaded = await STAGE_KINDS.index.load(stages.index.stage, files);
    expect(loaded.cases.ids).toEqual(examples.map((_, i) => `taught-${i + 1}`));
    expect((await loaded.index.searchBatch(examples[1]!.features, { k: 1 }))[0]![0]!.id).toBe(1);
    expect([...stages.head.files.keys()].sort()).toEqual(['head.bin', 'head.onnx']);
    expect(atob(toBase64(Uint8Array.from([0, 255, 7])))).toBe('\u0000\u00ff\u0007');
  });
});
