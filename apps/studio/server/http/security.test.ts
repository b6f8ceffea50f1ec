import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudioServer } from '../index.js';
import { SOURCE_TRAIN_COMMAND, startStudioFixture, type StudioFixture } from '../testing/studio-fixture.js';

/** A raw HTTP request (fetch may not set Host), answering status, headers and body. */
function rawRequest(base: string, path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject).end();
  });
}

const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' };

describe('studio server: headers, errors, origin, host', () => {
  let fixture: StudioFixture;
  beforeAll(async () => {
    fixture = await startStudioFixture({ files: { 'a.yaml': 'version: 1\n' } });
  });
  afterAll(() => fixture.close());

  it('every response is cross-origin isolated: app, SPA fallback, asset, API, errors', async () => {
    const cases: [string, RequestInit, number][] = [
      ['/', {}, 200],
      ['/runs/some-run', {}, 200],
      ['/assets/app.js', {}, 200],
      ['/assets/missing.js', {}, 404],
      ['/api/info', {}, 200],
      ['/api/nothing-here', {}, 404],
      ['/api/queue', { method: 'POST' }, 403],
    ];
    for (const [path, init, status] of cases) {
      const response = await fetch(`${fixture.base}${path}`, init);
      expect(response.status, path).toBe(status);
      for (const [name, value] of Object.entries(ISOLATION)) expect(response.headers.get(name), `${name} on ${path}`).toBe(value);
    }
  });

  it('page paths get index.html; assets are their bytes, with their type', async () => {
    const page = await fetch(`${fixture.base}/models/x`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<div id="root">');
    const asset = await fetch(`${fixture.base}/assets/app.js`);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await asset.text()).toBe('console.log("studio");\n');
    // Encoded traversal stays inside dist: not index.html of another folder, not a file outside.
    expect((await rawRequest(fixture.base, '/..%2f..%2fetc%2fpasswd', {})).status).toBe(404);
  });

  it('API errors are {"error":{code,message}} with their status', async () => {
    const cases: [string, RequestInit, number, string][] = [
      ['/api/nothing-here', {}, 404, 'NOT_FOUND'],
      ['/api/info', { method: 'DELETE', headers: { origin: fixture.base } }, 405, 'METHOD_NOT_ALLOWED'],
      ['/api/runs/no-such-run', {}, 404, 'TRACKING_NOT_FOUND'],
      ['/api/runs/any/artifacts/..%2F..%2Ftracking.db', {}, 400, 'TRACKING_INVALID'],
      ['/api/runs?status=sleeping', {}, 400, 'REQUEST_INVALID'],
      ['/api/queue', { method: 'POST', headers: { origin: fixture.base, 'content-type': 'application/json' }, body: '{not json' }, 400, 'REQUEST_INVALID'],
      ['/api/queue', { method: 'POST', headers: { origin: fixture.base, 'content-type': 'text/plain' }, body: '{}' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['/api/queue', { method: 'POST', headers: { origin: fixture.base, 'content-type': 'application/json' }, body: '{"config":"missing.yaml"}' }, 404, 'CONFIG_NOT_FOUND'],
      ['/api/queue/no-such-job', { method: 'DELETE', headers: { origin: fixture.base } }, 404, 'JOB_NOT_FOUND'],
      ['/api/models/none/versions/1/bundle/manifest.json', {}, 404, 'TRACKING_NOT_FOUND'],
      ['/api/models/none/versions/zero/bundle/manifest.json', {}, 400, 'REQUEST_INVALID'],
    ];
    for (const [path, init, status, code] of cases) {
      const response = await fetch(`${fixture.base}${path}`, init);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code, path).toBe(code);
      expect(body.error.message.length, path).toBeGreaterThan(10);
    }
  });

  it('mutating calls need the studio’s own Origin (403 ORIGIN_FORBIDDEN otherwise)', async () => {
    const put = (headers: Record<string, string>) =>
      fetch(`${fixture.base}/api/configs/file`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ path: 'new.yaml', text: 'version: 1\n', baseSha256: null }) });
    for (const headers of [{}, { origin: 'http://evil.example' }, { origin: fixture.base.replace('127.0.0.1', 'localhost') }] as Record<string, string>[]) {
      const response = await put(headers);
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ORIGIN_FORBIDDEN');
    }
    expect((await put({ origin: fixture.base })).status).toBe(200);
  });

  it('a loopback studio refuses Host names of other machines (DNS rebinding)', async () => {
    const port = fixture.studio.port;
    const rebound = await rawRequest(fixture.base, '/api/info', { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error.code).toBe('HOST_FORBIDDEN');
    expect(rebound.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect((await rawRequest(fixture.base, '/api/info', { host: `localhost:${port}` })).status).toBe(200);
  });
});

describe('studio server: token and login', () => {
  const token = 'correct horse battery staple';
  let fixture: StudioFixture;
  beforeAll(async () => {
    fixture = await startStudioFixture({ token });
  });
  afterAll(() => fixture.close());

  it('refuses to listen off loopback without a token', async () => {
    await expect(startStudioServer({ port: 0, host: '0.0.0.0', store: fixture.storeDir, configs: fixture.configsDir, trainCommand: SOURCE_TRAIN_COMMAND })).rejects.toMatchObject({
      code: 'STUDIO_OPTIONS_INVALID',
      message: expect.stringContaining('--token'),
    });
  });

  it('without the token: the API answers 401, pages go to /login', async () => {
    const api = await fetch(`${fixture.base}/api/info`);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const page = await fetch(`${fixture.base}/runs`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login');
    const login = await fetch(`${fixture.base}/login`);
    expect(login.status).toBe(200);
    expect(login.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await login.text()).toContain('<form method="post" action="/login">');
    expect((await fetch(`${fixture.base}/api/info`, { headers: { cookie: 'cvf_studio_token=wrong' } })).status).toBe(401);
  });

  it('the login form sets an HttpOnly SameSite=Strict cookie that opens the API; a wrong token does not', async () => {
    const post = (value: string, origin = fixture.base) =>
      fetch(`${fixture.base}/login`, { method: 'POST', redirect: 'manual', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: value }).toString() });
    const wrong = await post('guess');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect((await post(token, 'http://evil.example')).status).toBe(403);

    const right = await post(token);
    expect(right.status).toBe(303);
    const cookie = right.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0]!;
    const info = await fetch(`${fixture.base}/api/info`, { headers: { cookie: pair } });
    expect(info.status).toBe(200);
    expect(((await info.json()) as { store: string }).store).toBe(fixture.storeDir);
    expect((await fetch(`${fixture.base}/api/info`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});
