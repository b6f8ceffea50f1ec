import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { CORE_VERSION } from './version.js';

it('CORE_VERSION is the version in packages/core/package.json', () => {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(CORE_VERSION).toBe(version);
});
