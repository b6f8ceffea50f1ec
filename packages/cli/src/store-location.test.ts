import { SqliteTrackingStore } from '@cvf/core/node';
import { existsSync, mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { locateStore } from './store-location.js';
import { runCli } from './testing/run-cli.js';

/** A store in the temp folder or above it would be found by every search below: say so and skip. */
const strayStore = (() => {
  try {
    return locateStore({ env: {}, cwd: tmpdir(), use: 'read' }).root;
  } catch {
    return undefined;
  }
})();
if (strayStore) console.warn(`store search tests skipped: ${strayStore} is a tracking store above the temp folder`);

let home: string;
beforeEach(() => {
  // realpath: the working folder the CLI sees is the resolved one (macOS /var → /private/var).
  home = realpathSync(mkdtempSync(join(tmpdir(), 'cvf-store-location-')));
});

/** A real store (a tracking.db) at `root`. */
function makeStore(root: string): string {
  SqliteTrackingStore.open(root).close();
  return root;
}

describe.skipIf(strayStore)('locateStore', () => {
  it('takes --store, then CVF_STORE, then tracking.store of the config, each resolved against the working folder', () => {
    const cwd = join(home, 'work');
    mkdirSync(cwd);
    const env = { CVF_STORE: 'from-env' };
    expect(locateStore({ flag: 'flagged', configStore: 'configured', env, cwd, use: 'create' })).toEqual({ root: join(cwd, 'flagged'), source: '--store' });
    expect(locateStore({ configStore: 'configured', env, cwd, use: 'create' })).toEqual({ root: join(cwd, 'from-env'), source: 'CVF_STORE' });
    expect(locateStore({ configStore: '/srv/cvf', env: {}, cwd, use: 'create' })).toEqual({ root: '/srv/cvf', source: 'tracking.store' });
  });

  it('takes a postgres:// URL from --store, CVF_STORE or tracking.store as it is, without looking for a folder', () => {
    const url = 'postgres://cvf@db.internal:5432/cvf?artifacts=/mnt/cvf';
    expect(locateStore({ flag: url, env: {}, cwd: home, use: 'read' })).toEqual({ root: url, source: '--store' });
    expect(locateStore({ env: { CVF_STORE: url }, cwd: home, use: 'read' })).toEqual({ root: url, source: 'CVF_STORE' });
    expect(locateStore({ configStore: 'postgresql://db/cvf', env: {}, cwd: home, use: 'create' })).toEqual({ root: 'postgresql://db/cvf', source: 'tracking.store' });
  });

  it('then the nearest .cvf/ with a database in the working folder or above, as git finds .git/', () => {
    const project = join(home, 'project');
    makeStore(join(project, '.cvf'));
    const deep = join(project, 'data', 'ct', 'series1');
    mkdirSync(deep, { recursive: true });
    // A .cvf folder without a database (e.g. left by something else) is not a store.
    mkdirSync(join(project, 'data', '.cvf'));
    // The config's default `.cvf` means "the usual place": the search, not ./.cvf.
    expect(locateStore({ configStore: '.cvf', env: {}, cwd: deep, use: 'create' })).toEqual({ root: join(project, '.cvf'), source: 'found' });
    expect(locateStore({ env: {}, cwd: deep, use: 'read' })).toEqual({ root: join(project, '.cvf'), source: 'found' });
  });

  it('creates ./.cvf for train when there is none; a read refuses, naming where it looked, and creates nothing', () => {
    expect(locateStore({ configStore: '.cvf', env: {}, cwd: home, use: 'create' })).toEqual({ root: join(home, '.cvf'), source: 'new' });
    expect(() => locateStore({ env: {}, cwd: home, use: 'read' })).toThrow(
      expect.objectContaining({ code: 'TRACKING_STORE_NOT_FOUND', message: expect.stringContaining(`no .cvf/ with a tracking.db in ${home} or any folder above it`) }),
    );
    expect(() => locateStore({ flag: 'nowhere', env: {}, cwd: home, use: 'read' })).toThrow(
      expect.objectContaining({ code: 'TRACKING_STORE_NOT_FOUND', message: expect.stringContaining(`no tracking store at ${join(home, 'nowhere')} (from --store): ${join(home, 'nowhere')} does not exist`) }),
    );
    expect(() => locateStore({ env: { CVF_STORE: home }, cwd: home, use: 'read' })).toThrow(expect.objectContaining({ message: expect.stringContaining(`(from CVF_STORE): ${home} holds no tracking.db`) }));
    expect(existsSync(join(home, '.cvf'))).toBe(false);
    expect(existsSync(join(home, 'nowhere'))).toBe(false);
  });
});

describe.skipIf(strayStore)('the read commands', () => {
  const cwd = process.cwd();
  const cvfStore = process.env.CVF_STORE;
  afterEach(() => {
    process.chdir(cwd);
    if (cvfStore === undefined) delete process.env.CVF_STORE;
    else process.env.CVF_STORE = cvfStore;
  });

  it.each([
    ['runs', 'list'],
    ['runs', 'show', 'abc'],
    ['models', 'list'],
    ['models', 'promote', 'garments', '1', '--alias', 'production'],
    ['predict', 'garments@production', 'scan.png'],
  ])('cvf %s %s refuses a missing store instead of creating an empty one', async (...args) => {
    delete process.env.CVF_STORE;
    process.chdir(home);
    const { exitCode, stdout } = await runCli(...args, '--json');
    expect(exitCode).not.toBe(0);
    expect(JSON.parse(stdout).error).toEqual({ code: 'TRACKING_STORE_NOT_FOUND', message: expect.stringContaining(home) });
    expect(existsSync(join(home, '.cvf'))).toBe(false);
  });

  it('cvf serve NAME@ALIAS refuses a missing store before it starts', async () => {
    delete process.env.CVF_STORE;
    process.chdir(home);
    const { exitCode, stderr } = await runCli('serve', 'garments@production', '--port', '0', '--device', 'cpu', '--no-inference-log');
    expect(exitCode).toBe(2);
    expect(stderr).toContain(`error [TRACKING_STORE_NOT_FOUND]: no tracking store found: no --store, no CVF_STORE, and no .cvf/ with a tracking.db in ${home}`);
    expect(existsSync(join(home, '.cvf'))).toBe(false);
  });

  it('find the store of the project from a subfolder, or through CVF_STORE from anywhere', async () => {
    delete process.env.CVF_STORE;
    const store = SqliteTrackingStore.open(join(home, 'project', '.cvf'));
    await store.registerVersion('garments', { bundle: '/b/1', metrics: {} });
    store.close();
    const sub = join(home, 'project', 'scans');
    mkdirSync(sub);
    process.chdir(sub);
    expect(JSON.parse((await runCli('models', 'list', '--json')).stdout).map((v: { name: string }) => v.name)).toEqual(['garments']);
    process.chdir(tmpdir());
    process.env.CVF_STORE = join(home, 'project', '.cvf');
    expect(JSON.parse((await runCli('models', 'list', '--json')).stdout).map((v: { name: string }) => v.name)).toEqual(['garments']);
  });
});
