import { BundleError } from '../../errors.js';
import { assertBundlePath, isBundleMetaFile, MANIFEST_FILE, SIGNATURE_FILE } from '../bundle-path.js';
import { MAX_SIGNATURE_BYTES } from '../signature.js';
import { MAX_MANIFEST_BYTES, type BundleSource } from '../source.js';

/** A bundle file of no recorded size is read up to this many bytes. */
const MAX_UNSIZED_BYTES = 1 << 30;

export interface HttpSourceOptions {
  /** Default: the global fetch. */
  readonly fetch?: typeof globalThis.fetch;
  /** Sent with every request (e.g. an authorization header). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A bundle served over HTTP as its files under one base URL (`<base>/manifest.json`,
 * `<base>/head.onnx`, ...), as the studio server serves registered bundles. 404 is a missing file,
 * and so is 204: a server may answer that for an optional file (`manifest.sig` of an unsigned
 * bundle) so that browsers do not log a failed request; other failures are BUNDLE_NOT_FOUND with the status.
 */
export function httpSource(baseUrl: string | URL, options: HttpSourceOptions = {}): BundleSource {
  const base = new URL(String(baseUrl).endsWith('/') ? String(baseUrl) : `${String(baseUrl)}/`);
  const fetchFile = options.fetch ?? globalThis.fetch;
  return {
    location: base.href,
    async read(path, size) {
      if (!isBundleMetaFile(path)) assertBundlePath(path);
      const url = new URL(path.split('/').map(encodeURIComponent).join('/'), base);
      let response: Response;
      try {
        response = await fetchFile(url, { headers: { ...options.headers } });
      } catch (cause) {
        throw new BundleError('BUNDLE_NOT_FOUND', `cannot fetch ${url.href}: ${(cause as Error).message}`, { cause });
      }
      if (response.status === 404 || response.status === 204) return null;
      if (!response.ok) throw new BundleError('BUNDLE_NOT_FOUND', `${url.href} answered ${response.status} ${response.statusText}`);
      const limit = size ?? (path === MANIFEST_FILE ? MAX_MANIFEST_BYTES : path === SIGNATURE_FILE ? MAX_SIGNATURE_BYTES : MAX_UNSIZED_BYTES);
      return readBody(response, limit, url.href);
    },
  };
}

/**
 * The response body, read no further than `limit` bytes: a server announcing or sending more than
 * the manifest records is refused without buffering it (BUNDLE_CORRUPT).
 */
async function readBody(response: Response, limit: number, url: string): Promise<Uint8Array> {
  const tooLarge = (bytes: string) => new BundleError('BUNDLE_CORRUPT', `${url} sends ${bytes} bytes, more than the ${limit} expected`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(String(declared));
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge(`at least ${total}`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) (out.set(chunk, offset), (offset += chunk.byteLength));
  return out;
}
