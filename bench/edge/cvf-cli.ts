// How bench/edge runs the `cvf` command: this checkout's CLI from its TypeScript sources (as
// `npm run bench:edge` runs everything), in a child process of its own, as a user runs it.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliMain = join(dirname(fileURLToPath(import.meta.resolve('@cvf/cli'))), 'main.ts');

/** The repository root: `cvf` runs there, so configs/… paths resolve. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** `node` arguments that run `cvf ...args`. */
export function cvfArgs(...args: string[]): string[] {
  return ['--import', 'tsx', '--conditions=source', cliMain, ...args];
}

/**
 * The environment of a CPU-only edge box: no Vulkan driver. Where Mesa's lavapipe is installed (CI,
 * this project's dev boxes), ONNX Runtime's webgpu provider — the ONNX extractor's first choice —
 * would otherwise run the backbone on that software Vulkan device, many times slower than its cpu
 * provider (see the note `--vulkan` prints).
 */
export const CPU_ONLY_ENV: Readonly<Record<string, string>> = { VK_ICD_FILENAMES: '/nonexistent/vulkan-icd.json', VK_DRIVER_FILES: '/nonexistent/vulkan-icd.json' };
