import type { ServerResponse } from 'node:http';

/**
 * Headers on every response. COOP + COEP make the page cross-origin isolated (SharedArrayBuffer,
 * so onnxruntime-web runs wasm threads); CORP lets the isolated page embed the server's own files
 * and nobody else's page embed them.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}
