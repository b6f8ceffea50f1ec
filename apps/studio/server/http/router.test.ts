import { describe, expect, it } from 'vitest';
import { Router, type Route } from './router.js';

const route = (method: Route['method'], path: string): Route => ({ method, path, handle: () => {} });
const routes = [route('GET', '/api/runs'), route('GET', '/api/runs/:id'), route('GET', '/api/runs/:id/artifacts/*path'), route('POST', '/api/models/:name/aliases/:alias')];

describe('Router', () => {
  const router = new Router(routes);

  it('matches literal segments, :params (decoded) and a trailing *rest', () => {
    expect(router.match('GET', '/api/runs').route).toBe(routes[0]);
    expect(router.match('GET', '/api/runs/a%20b').params).toEqual({ id: 'a b' });
    expect(router.match('GET', '/api/runs/r1/artifacts/plots/loss%2Fbad.png').params).toEqual({ id: 'r1', path: 'plots/loss/bad.png' });
    expect(router.match('POST', '/api/models/fashion/aliases/production').params).toEqual({ name: 'fashion', alias: 'production' });
    expect(router.match('HEAD', '/api/runs/r1').route).toBe(routes[1]);
  });

  it('a known path with another method is METHOD_NOT_ALLOWED naming the allowed ones; others NOT_FOUND', () => {
    expect(() => router.match('DELETE', '/api/models/fashion/aliases/production')).toThrow(expect.objectContaining({ code: 'METHOD_NOT_ALLOWED', message: expect.stringContaining('POST') }));
    expect(() => router.match('GET', '/api/runs/r1/artifacts')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => router.match('GET', '/api/runs/r1/extra')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => router.match('GET', '/api/runs/%E0%A4%A')).toThrow(expect.objectContaining({ code: 'REQUEST_INVALID' }));
  });
});
