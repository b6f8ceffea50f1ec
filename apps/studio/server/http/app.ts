import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { StudioContext } from '../context.js';
import { StudioError } from '../errors.js';
import type { TokenAuth } from './auth.js';
import { checkHost, checkOrigin } from './request-origin.js';
import { sendError } from './respond.js';
import type { Router } from './router.js';
import { setSecurityHeaders } from './security-headers.js';
import type { StaticFiles } from './static-files.js';

export interface StudioApp {
  readonly studio: StudioContext;
  readonly router: Router;
  readonly staticFiles: StaticFiles;
  /** Token authentication; null on a loopback-only server without a token. */
  readonly auth: TokenAuth | null;
  /** Bound to loopback only: Host headers must name this machine (DNS rebinding). */
  readonly loopbackOnly: boolean;
}

/**
 * The request pipeline: security headers on every response, Host check, login, token, Origin
 * check of mutating calls, then the API routes or the app's files. Every failure becomes
 * `{"error":{"code","message"}}` (API) with its status.
 */
export function createRequestListener(app: StudioApp): RequestListener {
  return (req, res) => {
    setSecurityHeaders(res);
    handle(app, req, res).catch((error: unknown) => sendError(res, error, app.studio.log));
  };
}

async function handle(app: StudioApp, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://studio.invalid');
  checkHost(req, app.loopbackOnly);
  const api = url.pathname === '/api' || url.pathname.startsWith('/api/');
  if (app.auth && url.pathname === '/login') {
    if (req.method === 'POST') {
      checkOrigin(req);
      return app.auth.login(req, res);
    }
    return app.auth.sendLoginPage(res);
  }
  if (app.auth && !app.auth.isAuthenticated(req)) {
    if (api) throw new StudioError('UNAUTHORIZED', 'sign in first: open /login and enter the token the studio was started with (or send Authorization: Bearer TOKEN)');
    res.writeHead(302, { location: '/login', 'cache-control': 'no-store' }).end();
    return;
  }
  checkOrigin(req);
  if (!api) return app.staticFiles.serve(req, res, url.pathname);
  const { route, params } = app.router.match(req.method ?? 'GET', url.pathname);
  await route.handle({ req, res, url, params, studio: app.studio });
}
