import { describe, expect, it } from 'vitest';
import { MAX_CLASSES, MAX_CONFIG_CHARS, MAX_HIDDEN_LAYERS } from './limits.js';
import { parsePipelineConfig } from './load.js';
import { CONFIG_FILE as FILE, issuesOf } from './testing/config-issues.js';

const config = (dataExtra: string, name = 'limits') => `version: 1
name: ${name}
data:
  source: { kind: idx, images: images.gz, labels: labels.gz }
${dataExtra}`;

describe('config size limits', () => {
  it(`refuses a text longer than ${MAX_CONFIG_CHARS} characters before parsing it`, () => {
    const issues = issuesOf(config('', 'x'.repeat(MAX_CONFIG_CHARS)));
    expect(issues).toEqual([
      { file: FILE, line: 1, column: 1, path: '', message: expect.stringMatching(/^the config is \d+ characters, more than the 1048576 allowed/) },
    ]);
  });

  it('quotes a long evaluate.positiveClass and a long class list shortly in its error', () => {
    const classes = Array.from({ length: 100 }, (_, i) => `class-${i}`).join(', ');
    const [issue] = issuesOf(config(`  classes: [${classes}]\nevaluate: { positiveClass: ${'p'.repeat(100_000)} }\n`));
    expect(issue).toMatchObject({ path: 'evaluate.positiveClass', message: expect.stringContaining('(100000 characters)') });
    expect(issue!.message).toContain('|… (100 classes)');
    expect(issue!.message.length).toBeLessThan(600);
  });

  it(`refuses more than ${MAX_CLASSES} class names`, () => {
    const classes = Array.from({ length: MAX_CLASSES + 1 }, (_, i) => `c${i}`).join(',');
    expect(issuesOf(config(`  classes: [${classes}]\n`))).toEqual([
      { file: FILE, line: 5, column: 12, path: 'data.classes', message: `expected at most ${MAX_CLASSES} items, got ${MAX_CLASSES + 1}` },
    ]);
  });

  it.each([
    ['preprocess.normalize.mean', 'preprocess: { normalize: { mean: [0.1, 0.2, 0.3, 0.4] } }', 3, 4],
    ['preprocess.normalize.std', 'preprocess: { normalize: { std: [1, 1, 1, 1] } }', 3, 4],
    ['model.hidden', `model: { head: mlp, hidden: [${Array(MAX_HIDDEN_LAYERS + 1).fill(8).join(', ')}] }`, MAX_HIDDEN_LAYERS, MAX_HIDDEN_LAYERS + 1],
    ['train.classWeights', `train: { classWeights: [${Array(MAX_CLASSES + 1).fill(1).join(',')}] }`, MAX_CLASSES, MAX_CLASSES + 1],
  ])('bounds the length of %s', (path, section, max, got) => {
    expect(issuesOf(`${config('')}${section}\n`)).toEqual([expect.objectContaining({ path, message: `expected at most ${max} items, got ${got}` })]);
  });

  it('echoes at most 80 characters of a long value, with its length', () => {
    const long = 'y'.repeat(50_000);
    const [only, ...rest] = issuesOf(`version: 1\nname: ok\ndata:\n  source: { kind: ${long}, images: a, labels: b }\n`);
    expect(rest).toEqual([]);
    expect(only!.message).toContain(`"${'y'.repeat(80)}…" (50000 characters)`);
    expect(only!.message.length).toBeLessThan(300);
  });

  it('echoes a long duplicated class name and a long unknown key shortened too', () => {
    const long = 'z'.repeat(1000); // YAML's limit on an implicit key is 1024 characters
    const issues = issuesOf(config(`  classes: [${long}, ${long}]\n  ${long}: 1\n`));
    expect(issues).toHaveLength(2);
    for (const { path, message } of issues) {
      expect(`${path}: ${message}`).toContain('…" (1000 characters)');
      expect(`${path}: ${message}`.length).toBeLessThan(400);
    }
  });
});

describe('path fields', () => {
  it.each([
    ['a NUL byte', 'images\\0.gz', 'U+0000', 7],
    ['a newline', 'images\\n.gz', 'U+000A', 7],
    ['DEL', 'imag\\x7fes.gz', 'U+007F', 5],
  ])('refuses %s with a located CONFIG_INVALID', (_, escaped, codePoint, at) => {
    const text = `version: 1\nname: nul\ndata:\n  source: { kind: idx, images: "${escaped}", labels: labels.gz }\n`;
    expect(issuesOf(text)).toEqual([
      { file: FILE, line: 4, column: 32, path: 'data.source.images', message: `a path must not contain control characters: ${codePoint} at character ${at}` },
    ]);
  });

  it('accepts paths with spaces and non-ASCII letters', () => {
    const text = `version: 1\nname: ok\ndata:\n  source: { kind: idx, images: "Bilder/Röntgen 1.gz", labels: labels.gz }\n`;
    expect(parsePipelineConfig(text, FILE).data.source).toMatchObject({ images: 'Bilder/Röntgen 1.gz' });
  });
});
