import { CvfError } from '@cvf/core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamMonitors } from './monitor.js';

/** A running scrape endpoint: its URL (`http://127.0.0.1:PORT/metrics`) and how to stop it. */
export interface StreamMetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the monitors' registry at `GET /metrics` (Prometheus text format) on 127.0.0.1:`port`
 * (0: a free port) while a stream runs; other paths answer 404. Loopback only: the metrics name
 * the streams, and a scrape from elsewhere goes through whatever exposes the machine on purpose.
 * A port in use is CvfError METRICS_PORT_UNAVAILABLE naming it.
 */
export async function serveStreamMetrics(monitors: StreamMonitors, port: number): Promise<StreamMetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the metrics are at GET /metrics\n');
      return;
    }
    monitors.text().then(
      ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }).end(body),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  await listen(server, port);
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new CvfError('METRICS_PORT_UNAVAILABLE', `cannot serve metrics on 127.0.0.1:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}; give another --metrics-port (0 picks a free one)`, { cause: error })),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
