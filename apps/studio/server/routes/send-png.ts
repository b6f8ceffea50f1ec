import type { IncomingMessage, ServerResponse } from 'node:http';

/** A PNG answer (thumbnails): the page may keep it a while, samples do not change under one id. */
export function sendPng(req: IncomingMessage, res: ServerResponse, png: Uint8Array): void {
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.byteLength, 'cache-control': 'private, max-age=600' });
  res.end(req.method === 'HEAD' ? undefined : png);
}
