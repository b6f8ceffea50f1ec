import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StudioContext } from '../context.js';
import { StudioError } from '../errors.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a route handler gets: the request, its response, the path parameters, and the studio's state. */
export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** `:name` segments decoded; a trailing `*name` holds the rest of the path ('/'-joined, each segment decoded). */
  readonly params: Readonly<Record<string, string>>;
  readonly studio: StudioContext;
}

/**
 * One API route: `path` is matched segment by segment; `:name` takes one segment, a final
 * `*name` the rest. The handler writes the response (usually through respond.ts).
 */
export interface Route {
  readonly method: Method;
  readonly path: string;
  handle(request: RouteRequest): Promise<void> | void;
}

interface CompiledRoute {
  readonly route: Route;
  readonly segments: readonly string[];
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

/** A route table compiled once; `match` answers the route of a method and path, or throws NOT_FOUND / METHOD_NOT_ALLOWED. */
export class Router {
  readonly #routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.#routes = routes.map((route) => ({ route, segments: route.path.split('/').filter(Boolean) }));
  }

  match(method: string, pathname: string): RouteMatch {
    const parts = pathname.split('/').filter(Boolean);
    const allowed = new Set<string>();
    for (const compiled of this.#routes) {
      const params = matchSegments(compiled.segments, parts);
      if (!params) continue;
      if (compiled.route.method === method || (method === 'HEAD' && compiled.route.method === 'GET')) return { route: compiled.route, params };
      allowed.add(compiled.route.method);
    }
    if (allowed.size) throw new StudioError('METHOD_NOT_ALLOWED', `${method} ${pathname} is not allowed; use ${[...allowed].join(', ')}`);
    throw new StudioError('NOT_FOUND', `no API route ${method} ${pathname}`);
  }
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i]!;
    if (segment.startsWith('*')) {
      if (i !== pattern.length - 1 || parts.length <= i) return null;
      params[segment.slice(1)] = parts.slice(i).map(decode).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (segment.startsWith(':')) params[segment.slice(1)] = decode(part);
    else if (segment !== part) return null;
  }
  return parts.length === pattern.length ? params : null;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new StudioError('REQUEST_INVALID', `the path segment "${segment.slice(0, 80)}" is not valid percent-encoding`);
  }
}
