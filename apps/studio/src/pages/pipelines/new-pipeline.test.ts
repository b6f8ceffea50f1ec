import { parsePipelineConfig } from '@cvf/core';
import { describe, expect, it } from 'vitest';
import { newPipelineText } from './new-pipeline.js';

describe('newPipelineText', () => {
  it('is a valid pipeline named after the file', () => {
    const config = parsePipelineConfig(newPipelineText('chest/x ray v2.yaml'), 'new.yaml');
    expect(config.name).toBe('x-ray-v2');
    expect(config.data.source).toMatchObject({ kind: 'folder' });
  });
});
