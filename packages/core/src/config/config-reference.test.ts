import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_REFERENCE_COMMAND, configReferenceMarkdown } from './config-reference.js';

const checkedIn = fileURLToPath(new URL('../../../../docs/config.md', import.meta.url));

describe('docs/config.md', () => {
  it(`is what the schema generates (stale? run ${CONFIG_REFERENCE_COMMAND})`, () => {
    const generated = configReferenceMarkdown();
    const current = readFileSync(checkedIn, 'utf8');
    expect(current === generated, `docs/config.md is stale: run ${CONFIG_REFERENCE_COMMAND}`).toBe(true);
  });

  it('documents every section, the choices of each union and the defaults', () => {
    const markdown = configReferenceMarkdown();
    for (const section of ['data', 'preprocess', 'input', 'pca', 'model', 'train', 'postprocess', 'registry', 'compute', 'tracking']) expect(markdown).toContain(`## \`${section}\``);
    expect(markdown).toContain('### `model.head: mlp`');
    expect(markdown).toMatch(/\| `model\.hidden` \| list of integer > 0 \| `\[256\]` \| hidden layer widths/);
    expect(markdown).toMatch(/\| `pca\.method` \| `"auto"` \\\| `"covariance"` \\\| `"gram"` \\\| `"randomized"` \| `"auto"` \|/);
    expect(markdown).toMatch(/\| `registry\.alias` \| string \|  \| alias moved to the new version/);
  });
});
