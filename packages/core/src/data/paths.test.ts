import { expect, it } from 'vitest';
import { dirnamePath, extensionOf, joinPath, resolvePath } from './paths.js';

it('resolves config-relative paths the same way everywhere', () => {
  expect(resolvePath('/work/configs/medical', '../../data/labels.csv')).toBe('/work/data/labels.csv');
  expect(resolvePath('/work/configs', '/usr/share/x.gz')).toBe('/usr/share/x.gz');
  expect(resolvePath('configs', './a//b/./c.png')).toBe('configs/a/b/c.png');
  expect(joinPath('..', 'x')).toBe('../x');
  expect(joinPath('/', '..', 'x')).toBe('/x');
  expect(dirnamePath('/a/b/m.csv')).toBe('/a/b');
  expect(dirnamePath('m.csv')).toBe('.');
  expect(extensionOf('dir.v2/Scan.PNG')).toBe('.png');
  expect(extensionOf('dir.v2/README')).toBe('');
});
