import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/client.js';
import { startStudioFixture, type StudioFixture } from '../testing/studio-fixture.js';

const PIPELINE = 'version: 1\nname: demo\n';

describe('studio configs API', () => {
  let fixture: StudioFixture;
  let outside: string;
  beforeAll(async () => {
    fixture = await startStudioFixture({ files: { 'demo.yaml': PIPELINE, 'team/chest.yml': 'version: 1\nname: chest\n', 'notes.txt': 'not a config' } });
    // A secret next to the configs folder, and links that lead to it from inside.
    outside = join(fixture.dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.yaml'), 'password: hunter2\n');
    symlinkSync(join(outside, 'secret.yaml'), join(fixture.configsDir, 'linked-out.yaml'));
    symlinkSync(outside, join(fixture.configsDir, 'linked-dir'));
    symlinkSync(join(fixture.configsDir, 'demo.yaml'), join(fixture.configsDir, 'alias.yaml'));
  });
  afterAll(() => fixture.close());

  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error as ApiError,
    );

  it('lists the YAML files inside the folder; links out of it are left out', async () => {
    const { files } = await fixture.client.listConfigs();
    expect(files.map((f) => f.path)).toEqual(['alias.yaml', 'demo.yaml', 'team/chest.yml']);
    expect(files.find((f) => f.path === 'demo.yaml')!.size).toBe(PIPELINE.length);
  });

  it('reads a config with its hash, through a link that stays inside', async () => {
    const file = await fixture.client.readConfig('demo.yaml');
    expect(file.text).toBe(PIPELINE);
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await fixture.client.readConfig('alias.yaml')).sha256).toBe(file.sha256);
  });

  it('refuses paths that leave the folder: .., absolute, encoded, symlinks out (400 CONFIG_PATH_INVALID)', async () => {
    for (const path of ['../outside/secret.yaml', '/etc/passwd.yaml', 'team/../../outside/secret.yaml', 'linked-out.yaml', 'linked-dir/secret.yaml', 'team\\..\\demo.yaml', 'notes.txt', '.hidden.yaml']) {
      const error = await errorOf(fixture.client.readConfig(path));
      expect(error, path).toBeInstanceOf(ApiError);
      expect([error!.status, error!.code], path).toEqual([400, 'CONFIG_PATH_INVALID']);
    }
    const written = await errorOf(fixture.client.saveConfig({ path: 'linked-dir/new.yaml', text: 'x: 1\n', baseSha256: null }));
    expect(written?.code).toBe('CONFIG_PATH_INVALID');
    const overLink = await errorOf(fixture.client.saveConfig({ path: 'linked-out.yaml', text: 'x: 1\n', baseSha256: null }));
    expect(overLink?.code).toBe('CONFIG_PATH_INVALID');
    expect(readFileSync(join(outside, 'secret.yaml'), 'utf8')).toBe('password: hunter2\n');
    expect((await errorOf(fixture.client.readConfig('missing.yaml')))?.code).toBe('CONFIG_NOT_FOUND');
  });

  it('saves with a conflict check: a file changed on disk since it was read is 409 CONFIG_CONFLICT', async () => {
    const read = await fixture.client.readConfig('team/chest.yml');
    const saved = await fixture.client.saveConfig({ path: 'team/chest.yml', text: `${read.text}# edited\n`, baseSha256: read.sha256 });
    expect(readFileSync(join(fixture.configsDir, 'team/chest.yml'), 'utf8')).toBe(`${read.text}# edited\n`);
    expect(saved.sha256).not.toBe(read.sha256);

    // Someone edits the file on disk; a save based on the old hash must not overwrite it.
    writeFileSync(join(fixture.configsDir, 'team/chest.yml'), 'version: 1\nname: theirs\n');
    const conflict = await errorOf(fixture.client.saveConfig({ path: 'team/chest.yml', text: 'version: 1\nname: mine\n', baseSha256: saved.sha256 }));
    expect([conflict?.status, conflict?.code]).toEqual([409, 'CONFIG_CONFLICT']);
    expect(readFileSync(join(fixture.configsDir, 'team/chest.yml'), 'utf8')).toBe('version: 1\nname: theirs\n');

    // A new file is created once; a second "new" save of the same path conflicts.
    await fixture.client.saveConfig({ path: 'fresh/one.yaml', text: PIPELINE, baseSha256: null });
    expect(readFileSync(join(fixture.configsDir, 'fresh/one.yaml'), 'utf8')).toBe(PIPELINE);
    expect((await errorOf(fixture.client.saveConfig({ path: 'fresh/one.yaml', text: PIPELINE, baseSha256: null })))?.code).toBe('CONFIG_CONFLICT');
  });
});
