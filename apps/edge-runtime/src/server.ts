import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diagnose, type DoctorReport } from '@cvf/core/node';

/**
 * The edge runtime's HTTP service. Today it answers `GET /health` with what this box can run
 * (WebGPU adapter, working ONNX Runtime providers); prediction routes come with model bundles.
 */
export interface EdgeServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startEdgeServer(options: { port?: number; host?: string } = {}): Promise<EdgeServer> {
  // Probed once at start: the hardware does not change while the process lives.
  const capabilities = await diagnose();
  const server: Server = createServer((request, response) => handle(request, response, capabilities));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function handle(request: IncomingMessage, response: ServerResponse, capabilities: DoctorReport): void {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/health') {
    if (request.method !== 'GET') return sendError(response, 405, 'METHOD_NOT_ALLOWED', `${request.method} ${path}: use GET`);
    return sendJson(response, 200, { status: 'ok', webgpu: capabilities.webgpu, onnxruntime: capabilities.onnxruntime });
  }
  sendError(response, 404, 'NOT_FOUND', `no route ${request.method} ${path}; routes: GET /health`);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  sendJson(response, status, { error: { code, message } });
}
