import * as z from 'zod';
import {
  configFileSchema,
  configListSchema,
  configSaveResponseSchema,
  dataSummarySchema,
  errorBodySchema,
  infoSchema,
  jobSchema,
  misclassifiedSchema,
  modelListSchema,
  promoteResponseSchema,
  queueSchema,
  runDetailSchema,
  runListSchema,
  runSummarySchema,
  trainLineSchema,
  type ConfigSaveRequest,
  type Job,
  type QueueRequest,
  type RunListQuery,
  type RunSummary,
  type TrainLine,
} from './schemas.js';

/** A failed API call: the server's error code and message, or a client-side code (NETWORK_FAILED, RESPONSE_INVALID). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    /** The HTTP status; 0 when no response came. */
    readonly status: number,
  ) {
    super(message);
  }
}

export interface StudioClientOptions {
  /** Origin (and optional path prefix) of the studio server; '' in the browser (same origin). */
  baseUrl?: string;
  /** Headers sent with every call (a Node caller passes the auth cookie here; browsers send it themselves). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/** Handlers of a Server-Sent Events stream of training output. */
export interface TrainStreamHandlers<End> {
  onLine?: (line: TrainLine) => void;
  onEnd?: (end: End) => void;
  onError?: (error: ApiError) => void;
}

/** Stops following a stream. */
export type Unsubscribe = () => void;

const enc = encodeURIComponent;

/** The one typed client of the studio API: every page calls the server through it, and every response is parsed with the shared schemas. */
export class StudioClient {
  readonly #base: string;
  readonly #headers: Record<string, string>;
  readonly #fetch: typeof fetch;

  constructor(options: StudioClientOptions = {}) {
    this.#base = (options.baseUrl ?? '').replace(/\/$/, '');
    this.#headers = options.headers ?? {};
    this.#fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
  }

  info() {
    return this.#json('GET', '/api/info', infoSchema);
  }

  listConfigs() {
    return this.#json('GET', '/api/configs', configListSchema);
  }

  readConfig(path: string) {
    return this.#json('GET', `/api/configs/file?path=${enc(path)}`, configFileSchema);
  }

  saveConfig(request: ConfigSaveRequest) {
    return this.#json('PUT', '/api/configs/file', configSaveResponseSchema, request);
  }

  queue() {
    return this.#json('GET', '/api/queue', queueSchema);
  }

  enqueue(request: QueueRequest) {
    return this.#json('POST', '/api/queue', jobSchema, request);
  }

  cancelJob(jobId: string) {
    return this.#json('DELETE', `/api/queue/${enc(jobId)}`, jobSchema);
  }

  /** Follows a queued job: its `cvf train --json` lines, then the job as it ended. */
  followJob(jobId: string, handlers: TrainStreamHandlers<Job>): Unsubscribe {
    return this.#stream(`/api/queue/${enc(jobId)}/events`, jobSchema, handlers);
  }

  listRuns(query: RunListQuery = {}) {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    const search = params.size ? `?${params}` : '';
    return this.#json('GET', `/api/runs${search}`, runListSchema);
  }

  getRun(runId: string) {
    return this.#json('GET', `/api/runs/${enc(runId)}`, runDetailSchema);
  }

  /** Follows a running run's progress; `onEnd` gets the run once it ended (at once for an ended run). */
  followRun(runId: string, handlers: TrainStreamHandlers<RunSummary>): Unsubscribe {
    return this.#stream(`/api/runs/${enc(runId)}/events`, runSummarySchema, handlers);
  }

  /** Test cases of true class `actual` predicted as `predicted` (indices into the evaluation's classes). */
  misclassified(runId: string, actual: number, predicted: number) {
    return this.#json('GET', `/api/runs/${enc(runId)}/misclassified?actual=${actual}&predicted=${predicted}`, misclassifiedSchema);
  }

  artifactUrl(runId: string, path: string): string {
    return `${this.#base}/api/runs/${enc(runId)}/artifacts/${path.split('/').map(enc).join('/')}`;
  }

  listModels() {
    return this.#json('GET', '/api/models', modelListSchema);
  }

  /** Points `alias` of model `name` at `version`; the answer names the version it left. */
  promote(name: string, alias: string, version: number) {
    return this.#json('POST', `/api/models/${enc(name)}/aliases/${enc(alias)}`, promoteResponseSchema, { version });
  }

  /** The base URL of a version's bundle files, for core's `httpSource`. */
  bundleUrl(name: string, version: number): string {
    return `${this.#base}/api/models/${enc(name)}/versions/${version}/bundle`;
  }

  data(configPath: string) {
    return this.#json('GET', `/api/data?config=${enc(configPath)}`, dataSummarySchema);
  }

  thumbnailUrl(configPath: string, sampleId: string): string {
    return `${this.#base}/api/data/thumbnail?config=${enc(configPath)}&id=${enc(sampleId)}`;
  }

  async #json<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.output<S>> {
    const response = await this.#request(method, path, body);
    const payload = await response.json().catch(() => undefined);
    return parse(schema, payload, `${method} ${path}`, response.status);
  }

  async #request(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers: { ...this.#headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new ApiError('NETWORK_FAILED', `${method} ${path}: the studio server did not answer (${(cause as Error).message})`, 0);
    }
    if (!response.ok) throw await errorOf(response, `${method} ${path}`);
    return response;
  }

  #stream<E extends z.ZodType>(path: string, endSchema: E, handlers: TrainStreamHandlers<z.output<E>>): Unsubscribe {
    const abort = new AbortController();
    const run = async () => {
      const response = await this.#request('GET', path, undefined, abort.signal);
      if (!response.body) throw new ApiError('RESPONSE_INVALID', `GET ${path}: no event stream`, response.status);
      for await (const event of readServerSentEvents(response.body)) {
        const data = JSON.parse(event.data) as unknown;
        if (event.event === 'progress') handlers.onLine?.(parse(trainLineSchema, data, `event of ${path}`, 200));
        else if (event.event === 'end') {
          handlers.onEnd?.(parse(endSchema, data, `end of ${path}`, 200));
          abort.abort();
          return;
        }
      }
    };
    run().catch((error: unknown) => {
      if (abort.signal.aborted) return;
      handlers.onError?.(error instanceof ApiError ? error : new ApiError('NETWORK_FAILED', `GET ${path}: ${(error as Error).message}`, 0));
    });
    return () => abort.abort();
  }
}

function parse<S extends z.ZodType>(schema: S, payload: unknown, what: string, status: number): z.output<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new ApiError('RESPONSE_INVALID', `${what}: the server's answer does not match the API schema: ${z.prettifyError(parsed.error)}`, status);
  return parsed.data;
}

async function errorOf(response: Response, what: string): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) return new ApiError(parsed.data.error.code, parsed.data.error.message, response.status);
  return new ApiError(`HTTP_${response.status}`, `${what}: HTTP ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`, response.status);
}

/** One Server-Sent Event. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/** Splits a text/event-stream body into events (fields `event` and `data`; comments and ids ignored). */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let boundary: number;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (data.length) yield { event, data: data.join('\n') };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** The client every page uses: same origin as the page. */
export const api = new StudioClient();
