type Handler = ((this: FetchXhr, event?: unknown) => void) | null;

/**
 * The part of XMLHttpRequest that dicomweb-client uses, over `fetch`, which Node (≥ 18) and
 * browsers both have; Node has no XMLHttpRequest. One instance serves one request.
 *
 * Differences from a browser XHR that callers rely on: a network failure leaves `status` 0 and the
 * cause in `networkError`; an exception thrown by a handler goes to `onHandlerError` instead of
 * being lost in a promise (dicomweb-client parses responses inside `onreadystatechange`).
 */
export class FetchXhr {
  readyState = 0;
  status = 0;
  statusText = '';
  responseType: '' | 'arraybuffer' | 'json' | 'text' = '';
  response: unknown = null;
  withCredentials = false;
  onreadystatechange: Handler = null;
  onloadstart: Handler = null;
  onloadend: Handler = null;
  onprogress: Handler = null;
  networkError: Error | undefined;
  /** responseType 'json' and a non-empty body that is not JSON (XHR then gives null, indistinguishable from "null"). */
  invalidJson = false;
  onHandlerError: ((error: unknown) => void) | null = null;

  #method = 'GET';
  #url = '';
  readonly #headers = new Headers();
  #responseHeaders: Headers | null = null;

  constructor(
    private readonly fetchImpl: typeof fetch = globalThis.fetch,
    private readonly signal?: AbortSignal,
  ) {}

  /** The URL of the request (for error messages). */
  get url(): string {
    return this.#url;
  }

  open(method: string, url: string): void {
    this.#method = method.toUpperCase();
    this.#url = url;
    this.readyState = 1;
  }

  setRequestHeader(name: string, value: string): void {
    this.#headers.append(name, value);
  }

  getResponseHeader(name: string): string | null {
    return this.#responseHeaders?.get(name) ?? null;
  }

  getAllResponseHeaders(): string {
    if (!this.#responseHeaders) return '';
    let all = '';
    this.#responseHeaders.forEach((value, name) => {
      all += `${name}: ${value}\r\n`;
    });
    return all;
  }

  send(body?: ArrayBuffer | Uint8Array | string | null): void {
    void this.#run(body ?? null);
  }

  async #run(body: ArrayBuffer | Uint8Array | string | null): Promise<void> {
    this.#emit(this.onloadstart);
    try {
      const response = await this.fetchImpl(this.#url, {
        method: this.#method,
        headers: this.#headers,
        body: body as BodyInit | null,
        credentials: this.withCredentials ? 'include' : 'same-origin',
        ...(this.signal && { signal: this.signal }),
      });
      const bytes = await response.arrayBuffer();
      this.status = response.status;
      this.statusText = response.statusText;
      this.#responseHeaders = response.headers;
      this.response = this.#decode(bytes);
    } catch (error) {
      this.status = 0;
      this.networkError = error as Error;
      this.response = null;
    }
    this.readyState = 4;
    this.#emit(this.onreadystatechange);
    this.#emit(this.onloadend);
  }

  /** As XHR does: an ArrayBuffer, parsed JSON (null when it is not JSON), or text. */
  #decode(bytes: ArrayBuffer): unknown {
    if (this.responseType === 'arraybuffer') return bytes;
    const text = new TextDecoder().decode(bytes);
    if (this.responseType !== 'json') return text;
    try {
      return text === '' ? null : JSON.parse(text);
    } catch {
      this.invalidJson = true;
      return null;
    }
  }

  #emit(handler: Handler): void {
    if (!handler) return;
    try {
      handler.call(this);
    } catch (error) {
      this.onHandlerError?.(error);
    }
  }
}
