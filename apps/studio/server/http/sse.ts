import type { IncomingMessage, ServerResponse } from 'node:http';

/** A comment line every so often keeps proxies and idle timeouts from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/** One Server-Sent Events response: `send` writes an event, `close` ends it; `closed` turns true when the client leaves. */
export class EventStream {
  readonly #res: ServerResponse;
  readonly #heartbeat: NodeJS.Timeout;
  #closed = false;
  readonly #onClose: (() => void)[] = [];

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.#res = res;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': cvf studio events\n\n');
    this.#heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    req.on('close', () => this.#finish());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs `listener` when the stream ends, by the client or by `close`. */
  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#onClose.push(listener);
  }

  send(event: string, data: unknown): void {
    if (this.#closed) return;
    this.#res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  close(): void {
    if (this.#closed) return;
    this.#res.end();
    this.#finish();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const listener of this.#onClose.splice(0)) listener();
  }
}
