import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticFile {
  readonly type: string;
  readonly body: string | Uint8Array;
}

/**
 * Serves in-memory files on a loopback port with COOP/COEP headers, so pages are cross-origin
 * isolated (WebAssembly threads) and WebGPU is exposed (a secure context: http://localhost).
 */
export async function serveFiles(files: Readonly<Record<string, StaticFile>>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = files[path === '/' ? '/index.html' : path];
    if (!file) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': file.type,
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    response.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
