import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StudioError } from '../errors.js';
import { readBody } from './respond.js';

export const TOKEN_COOKIE = 'cvf_studio_token';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether `candidate` is the token, compared in constant time (over digests, so lengths leak nothing either). */
function sameToken(candidate: string, token: string): boolean {
  return timingSafeEqual(digest(candidate), digest(token));
}

function cookieOf(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(value.join('='));
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * Token authentication for a studio reachable from other machines: the token arrives as the
 * HttpOnly cookie the login page sets, or as `Authorization: Bearer` (scripts).
 */
export class TokenAuth {
  readonly #token: string;

  constructor(token: string) {
    this.#token = token;
  }

  isAuthenticated(req: IncomingMessage): boolean {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const candidate = bearer ?? cookieOf(req, TOKEN_COOKIE);
    return candidate !== null && sameToken(candidate, this.#token);
  }

  /** GET /login: the form; `failed` after a wrong token. */
  sendLoginPage(res: ServerResponse, failed = false): void {
    res.writeHead(failed ? 401 : 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(loginPage(failed));
  }

  /** POST /login (form-encoded `token`): sets the cookie and goes to the app, or shows the form again. */
  async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/x-www-form-urlencoded\b/i.test(type)) throw new StudioError('UNSUPPORTED_MEDIA_TYPE', `the login form posts application/x-www-form-urlencoded, not "${type || 'none'}"`);
    const token = new URLSearchParams(await readBody(req, 4096)).get('token') ?? '';
    if (!sameToken(token, this.#token)) return this.sendLoginPage(res, true);
    res
      .writeHead(303, {
        location: '/',
        'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        'cache-control': 'no-store',
      })
      .end();
  }
}

function loginPage(failed: boolean): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>CV Factory studio: sign in</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 24rem; margin: 4rem auto">
<h1>CV Factory studio</h1>
<p>This studio is reachable from the network: enter the token it was started with (<code>cvf studio --token</code>).</p>
${failed ? '<p role="alert" style="color: #b00020">That token is not the studio\'s token.</p>' : ''}
<form method="post" action="/login">
<label>Token <input name="token" type="password" autocomplete="current-password" required autofocus></label>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}
