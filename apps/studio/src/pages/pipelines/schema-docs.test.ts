import { pipelineConfigSchema } from '@cvf/core';
import { describe, expect, it } from 'vitest';
import { docAt } from './schema-docs.js';

describe('docAt', () => {
  it('reads descriptions, defaults and types from the pipeline schema', () => {
    const lr = docAt(pipelineConfigSchema, ['train', 'optimizer', 'lr'], {});
    expect(lr).toMatchObject({ type: 'number', description: 'peak learning rate', defaultText: '0.001', required: false });
    expect(docAt(pipelineConfigSchema, ['train', 'epochs'], {})).toMatchObject({ type: 'integer', defaultText: '20' });
    expect(docAt(pipelineConfigSchema, ['train', 'optimizer', 'kind'], {})?.values).toEqual(['sgd', 'adam', 'adamw']);
    expect(docAt(pipelineConfigSchema, ['name'], {})).toMatchObject({ type: 'string', required: true });
  });

  it('lists the keys of a mapping, following the branch a discriminated union picks', () => {
    expect(docAt(pipelineConfigSchema, [], {})?.keys).toContain('train');
    expect(docAt(pipelineConfigSchema, ['features'], { features: { kind: 'hog' } })?.keys).toEqual(['kind', 'hog']);
    expect(docAt(pipelineConfigSchema, ['features', 'hog', 'cellSize'], { features: { kind: 'hog' } })).toMatchObject({ defaultText: '8' });
    expect(docAt(pipelineConfigSchema, ['features'], {})?.keys).toEqual(['kind']);
    expect(docAt(pipelineConfigSchema, ['features', 'kind'], {})?.values).toEqual(['pixels', 'hog', 'onnx', 'orb', 'sift']);
  });

  it('is undefined for a key the schema does not have', () => {
    expect(docAt(pipelineConfigSchema, ['train', 'epoch'], {})).toBeUndefined();
  });
});
