import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../config/load.js';
import { CONFIG_FILE as FILE, issuesOf } from '../../config/testing/config-issues.js';

const CNN = `version: 1
name: semi
data:
  source: { kind: idx, images: images.gz, labels: labels.gz }
  unlabelled: { kind: images, root: pool }
features: { kind: pixels }
model: { head: cnn }
`;

describe('train.fixmatch and train.pretrain', () => {
  it('read with their documented defaults beside train.pseudoLabel', () => {
    const { train } = parsePipelineConfig(`${CNN}train:\n  fixmatch: { threshold: 0.9 }\n  pretrain: { method: supcon, epochs: 3 }\n`, FILE);
    expect(train.fixmatch).toMatchObject({ threshold: 0.9, weight: 1, ratio: 3, weak: { flip: { horizontal: 0.5 }, rotate: { probability: 0 } }, strong: { rotate: { degrees: 30, probability: 1 }, noise: { std: 0.5, probability: 1 } } });
    expect(train.pretrain).toMatchObject({ method: 'supcon', epochs: 3, batch: 128, temperature: 0.2, projectionDim: 64, views: { noise: { std: 0.4, probability: 0.8 } } });
    expect(train.pseudoLabel.threshold).toBe(0.95);
  });

  it('are absent unless asked for', () => {
    const { train } = parsePipelineConfig(CNN.replace(/ {2}unlabelled.*\n/, ''), FILE);
    expect(train.fixmatch).toBeUndefined();
    expect(train.pretrain).toBeUndefined();
  });

  it('refuse a threshold outside (0, 1], an unknown method and a mix in a view, by path and line', () => {
    expect(issuesOf(`${CNN}train:\n  fixmatch: { threshold: 1.5 }\n`)).toEqual([expect.objectContaining({ path: 'train.fixmatch.threshold', line: 9 })]);
    expect(issuesOf(`${CNN}train:\n  pretrain: { method: byol }\n`)[0]).toMatchObject({ path: 'train.pretrain.method' });
    expect(issuesOf(`${CNN}train:\n  fixmatch:\n    strong: { mixup: { probability: 0.5 } }\n`)[0]?.message).toMatch(/a view is of one image: mixup must be 0/);
  });

  it('tie to the sections they need: fixmatch to a cnn with unlabelled images, pretrain to a cnn', () => {
    const softmax = CNN.replace('model: { head: cnn }', 'model: { head: softmax }');
    expect(issuesOf(`${softmax}train:\n  fixmatch: {}\n`).map((i) => i.message)).toContain('FixMatch trains a network on the images\' views: model.head must be cnn, not softmax');
    expect(issuesOf(`${CNN.replace(/ {2}unlabelled.*\n/, '')}train:\n  fixmatch: {}\n`)[0]?.message).toBe('FixMatch needs unlabelled images: give data.unlabelled');
    expect(issuesOf(`${softmax.replace(/ {2}unlabelled.*\n/, '')}train:\n  pretrain: { method: simclr }\n`)[0]?.message).toMatch(/model.head must be cnn, not softmax/);
    expect(issuesOf(CNN)[0]).toMatchObject({ path: 'data.unlabelled', message: expect.stringMatching(/with train.fixmatch/) });
  });
});
