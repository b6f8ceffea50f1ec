import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built app of this package (apps/studio/dist): found from this module's location, which
 * is server/ when run from sources and server/dist/server/ when built.
 */
export function defaultStudioDist(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@cvf/studio') return join(dir, 'dist');
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`@cvf/studio's package.json is not above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
