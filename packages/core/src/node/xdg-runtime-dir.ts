import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vulkan's loader and Dawn (ours, and the one inside ORT's webgpu provider) want XDG_RUNTIME_DIR;
 * CI shells and containers often have none. A private folder under the temp dir serves.
 */
export function ensureXdgRuntimeDir(): void {
  if (process.env.XDG_RUNTIME_DIR) return;
  const dir = join(tmpdir(), `cvf-xdg-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.env.XDG_RUNTIME_DIR = dir;
}
