import { BundleError } from '../../errors.js';
import { assertBundlePath, MANIFEST_FILE } from '../bundle-path.js';
import type { BundleSource } from '../source.js';

export interface HttpSourceOptions {
  /** Default: the global fetch. */
  readonly fetch?: typeof globalThis.fetch;
  /** Sent with every request (e.g. an authorization header). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A bundle served over HTTP as its files under one base URL (`<base>/manifest.json`,
 * `<base>/head.onnx`, ...), as the studio server serves registered bundles. 404 is a missing file;
 * other failures are BUNDLE_NOT_FOUND with the status.
 */
export function httpSource(baseUrl: string | URL, options: HttpSourceOptions = {}): BundleSource {
  const base = new URL(String(baseUrl).endsWith('/') ? String(baseUrl) : `${String(baseUrl)}/`);
  const fetchFile = options.fetch ?? globalThis.fetch;
  return {
    location: base.href,
    async read(path) {
      if (path !== MANIFEST_FILE) assertBundlePath(path);
      const url = new URL(path.split('/').map(encodeURIComponent).join('/'), base);
      let response: Response;
      try {
        response = await fetchFile(url, { headers: { ...options.headers } });
      } catch (cause) {
        throw new BundleError('BUNDLE_NOT_FOUND', `cannot fetch ${url.href}: ${(cause as Error).message}`, { cause });
      }
      if (response.status === 404) return null;
      if (!response.ok) throw new BundleError('BUNDLE_NOT_FOUND', `${url.href} answered ${response.status} ${response.statusText}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
