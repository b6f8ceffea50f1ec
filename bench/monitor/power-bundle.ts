// The model the power study monitors: the repository's Fashion-MNIST pipeline
// (configs/fashion-mnist/train.yaml: HOG → PCA-128 → MLP) trained by `cvf train` on a 6,000-image
// subset, as a user would; kept in a folder of the system's temp dir and reused by later runs.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const cliMain = join(dirname(fileURLToPath(import.meta.resolve('@cvf/cli'))), 'main.ts');
const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const TRAINING = ['configs/fashion-mnist/train.yaml', '--set', 'data.limit=6000', '--set', 'train.epochs=5'] as const;

/** The bundle folder: trained now unless an earlier run left one (`retrain` trains again). */
export async function fashionBundle(options: { retrain: boolean; log: (line: string) => void }): Promise<string> {
  const store = join(tmpdir(), 'cvf-bench-monitor-power', '.cvf');
  const bundles = join(store, 'bundles');
  const existing = existsSync(bundles) ? readdirSync(bundles).map((run) => join(bundles, run)).filter((dir) => existsSync(join(dir, 'manifest.json'))) : [];
  if (existing.length > 0 && !options.retrain) return existing.at(-1)!;
  options.log(`training ${TRAINING.join(' ')} into ${store} (once; later runs reuse it, --retrain trains again)`);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--conditions=source', cliMain, 'train', ...TRAINING, '--set', `tracking.store=${store}`, '--json'], { cwd: REPO, maxBuffer: 64 << 20 });
  return (JSON.parse(stdout.trim().split('\n').at(-1)!) as { bundle: string }).bundle;
}
