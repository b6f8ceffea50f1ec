import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStudioServer, type StudioServer } from '@cvf/studio/server';

/** Debian's Fashion-MNIST (scripts/setup.sh installs it): real images for the walk's training runs. */
export const FASHION = '/usr/share/datasets/fashion-mnist';

/** The studio as built by scripts/setup.sh (vite build). */
export const STUDIO_DIST = fileURLToPath(new URL('../../apps/studio/dist', import.meta.url));

/** A small real pipeline on Fashion-MNIST's test file: HOG features, an MLP head, CPU, registered. */
export function walkPipeline(epochs: number): string {
  return `version: 1
name: walk
data:
  source: { kind: idx, images: ${FASHION}/t10k-images-idx3-ubyte.gz, labels: ${FASHION}/t10k-labels-idx1-ubyte.gz }
  classes: [T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot]
  limit: 400
preprocess: { resize: { height: 28, width: 28 }, color: gray }
features: { kind: hog, hog: { cellSize: 7, blockSize: 2, bins: 9 } }
model: { head: mlp, hidden: [16], dropout: 0 }
train:
  epochs: ${epochs}
  batchSize: 32
compute: { device: cpu }
registry: { register: true, modelName: walk }
`;
}

/** `cvf train` from the CLI's TypeScript sources, found through node_modules/@cvf/cli like any dependency. */
function sourceTrainCommand() {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'node_modules', '@cvf', 'cli'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('node_modules/@cvf/cli is not installed above e2e/');
    dir = parent;
  }
  const main = join(realpathSync(join(dir, 'node_modules', '@cvf', 'cli')), 'src', 'main.ts');
  return { command: process.execPath, args: ['--import', 'tsx', '--conditions=source', main] };
}

export interface TestStudio {
  readonly studio: StudioServer;
  readonly configsDir: string;
  readonly base: string;
  close(): Promise<void>;
}

/** The real studio server over a fresh store and configs folder in a temp dir, serving the real build. */
export async function startTestStudio(configs: Readonly<Record<string, string>>, options: { concurrency?: number } = {}): Promise<TestStudio> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'cvf-studio-e2e-')));
  const configsDir = join(dir, 'configs');
  mkdirSync(configsDir);
  for (const [path, text] of Object.entries(configs)) {
    mkdirSync(dirname(join(configsDir, path)), { recursive: true });
    writeFileSync(join(configsDir, path), text);
  }
  const studio = await startStudioServer({ port: 0, host: '127.0.0.1', store: join(dir, '.cvf'), configs: configsDir, dist: STUDIO_DIST, trainCommand: sourceTrainCommand(), log: () => {}, ...options });
  return {
    studio,
    configsDir,
    base: studio.url.replace(/\/$/, ''),
    close: async () => {
      await studio.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
