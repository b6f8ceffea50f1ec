import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { StudioError } from '../errors.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The built app (vite's dist/): its files, and index.html for every other page path so the
 * client router handles /runs/123 on a reload. Paths with a file extension that do not exist
 * are 404, not the app. Hashed assets are cached for good; index.html never.
 */
export class StaticFiles {
  readonly #root: string;

  constructor(dist: string) {
    this.#root = resolve(dist);
  }

  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new StudioError('METHOD_NOT_ALLOWED', `${req.method} ${pathname}: the app's files are read with GET`);
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      throw new StudioError('REQUEST_INVALID', `the path "${pathname.slice(0, 100)}" is not valid percent-encoding`);
    }
    const file = resolve(join(this.#root, decoded));
    if (file !== this.#root && !file.startsWith(this.#root + sep)) throw new StudioError('NOT_FOUND', `no file ${pathname.slice(0, 100)} in the studio app`);
    if (decoded !== '/' && (await isFile(file))) return this.#send(req, res, file, decoded.startsWith('/assets/'));
    if (extname(decoded) !== '') throw new StudioError('NOT_FOUND', `no file ${pathname} in the studio app`);
    const index = join(this.#root, 'index.html');
    if (!(await isFile(index))) throw new StudioError('NOT_FOUND', `the studio app is not built (no ${index}): run npm run build -w apps/studio`);
    return this.#send(req, res, index, false);
  }

  async #send(req: IncomingMessage, res: ServerResponse, file: string, immutable: boolean): Promise<void> {
    const info = await stat(file);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    await new Promise<void>((done, fail) => createReadStream(file).on('error', fail).on('end', done).pipe(res));
  }
}

async function isFile(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info?.isFile() === true;
}
