import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEdgeServer, type EdgeServer } from './server.js';

let server: EdgeServer;
beforeAll(async () => {
  server = await startEdgeServer();
});
afterAll(() => server.close());

it('GET /health reports what this box can run', async () => {
  const response = await fetch(`${server.url}/health`);
  expect(response.status).toBe(200);
  const body = await response.json();
  expect(body.status).toBe('ok');
  expect(body.onnxruntime.executionProviders).toContain('cpu');
  expect(typeof body.webgpu.available).toBe('boolean');
});

it('answers unknown routes and wrong methods with a 4xx error body, and stays up', async () => {
  const missing = await fetch(`${server.url}/nope`);
  expect(missing.status).toBe(404);
  expect((await missing.json()).error.code).toBe('NOT_FOUND');
  const wrongMethod = await fetch(`${server.url}/health`, { method: 'POST', body: 'x' });
  expect(wrongMethod.status).toBe(405);
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
});
