import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StudioClient } from '../../src/api/client.js';
import { startStudioServer, type StudioServer, type StudioServerOptions } from '../index.js';

/** Debian's Fashion-MNIST (scripts/setup.sh installs it): real images for the training tests. */
export const FASHION = '/usr/share/datasets/fashion-mnist';

/** The cvf CLI's TypeScript entry, found through node_modules/@cvf/cli like any dependency. */
function cliEntry(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'node_modules', '@cvf', 'cli'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('node_modules/@cvf/cli is not installed above the studio');
    dir = parent;
  }
  return join(realpathSync(join(dir, 'node_modules', '@cvf', 'cli')), 'src', 'main.ts');
}

/**
 * `cvf` from the CLI's sources, one process (tsx as a loader, not its CLI, so SIGTERM reaches the
 * CLI itself); the loader by absolute URL, so a child in any working folder finds it.
 */
export const SOURCE_TRAIN_COMMAND = { command: process.execPath, args: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, '--conditions=source', cliEntry()] };

/** A small real pipeline on Fashion-MNIST's test file: HOG features, an MLP head, CPU. */
export function tinyPipeline(name: string, options: { epochs: number; limit?: number; register?: boolean }): string {
  return `version: 1
name: ${name}
data:
  source: { kind: idx, images: ${FASHION}/t10k-images-idx3-ubyte.gz, labels: ${FASHION}/t10k-labels-idx1-ubyte.gz }
  limit: ${options.limit ?? 300}
preprocess: { resize: { height: 28, width: 28 }, color: gray }
features: { kind: hog, hog: { cellSize: 7, blockSize: 2, bins: 9 } }
model: { head: mlp, hidden: [16], dropout: 0 }
train: { epochs: ${options.epochs}, batchSize: 32 }
compute: { device: cpu }
registry: { register: ${options.register ?? false} }
`;
}

export interface StudioFixture {
  readonly dir: string;
  readonly configsDir: string;
  readonly storeDir: string;
  readonly studio: StudioServer;
  /** http://127.0.0.1:PORT (no trailing slash). */
  readonly base: string;
  /** The typed client, sending the Origin of the studio as its pages do. */
  readonly client: StudioClient;
  /** Stops the studio and removes its folder. */
  close(): Promise<void>;
}

/**
 * A real studio on an ephemeral loopback port over a fresh store, a configs folder and a
 * minimal built app (index.html + one asset), so the tests need no vite build. `files`: configs to
 * write (path → text).
 */
export async function startStudioFixture(options: Partial<Omit<StudioServerOptions, 'configs'>> & { files?: Record<string, string> } = {}): Promise<StudioFixture> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'cvf-studio-')));
  const configsDir = join(dir, 'configs');
  const storeDir = join(dir, '.cvf');
  const dist = join(dir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>CV Factory</title><div id="root"></div><script type="module" src="/assets/app.js"></script>\n');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log("studio");\n');
  for (const [path, text] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(configsDir, path)), { recursive: true });
    writeFileSync(join(configsDir, path), text);
  }
  mkdirSync(configsDir, { recursive: true });
  const { files: _files, ...rest } = options;
  const studio = await startStudioServer({ port: 0, host: '127.0.0.1', store: storeDir, configs: configsDir, dist, trainCommand: SOURCE_TRAIN_COMMAND, log: () => {}, ...rest });
  const base = studio.url.replace(/\/$/, '');
  return {
    dir,
    configsDir,
    storeDir,
    studio,
    base,
    client: new StudioClient({ baseUrl: base, headers: { origin: base } }),
    close: async () => {
      await studio.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
