import { describe, expect, it } from 'vitest';
import { cursorContext } from './yaml-context.js';

describe('cursorContext', () => {
  it('finds the enclosing keys of a key being typed, from indentation', () => {
    const text = 'version: 1\ntrain:\n  # comment\n  optimizer:\n    l';
    expect(cursorContext(text, text.length)).toMatchObject({ parents: ['train', 'optimizer'], kind: 'key', word: 'l', wordFrom: text.length - 1 });
  });

  it('says a value is being typed after `key: `', () => {
    const text = 'train:\n  optimizer:\n    kind: ad';
    expect(cursorContext(text, text.length)).toMatchObject({ parents: ['train', 'optimizer'], kind: 'value', key: 'kind', word: 'ad' });
  });

  it('closes a mapping when the indentation goes back', () => {
    const text = 'train:\n  epochs: 3\nmodel:\n  he';
    expect(cursorContext(text, text.length).parents).toEqual(['model']);
    expect(cursorContext('ver', 3)).toMatchObject({ parents: [], kind: 'key' });
  });
});
