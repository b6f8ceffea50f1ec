import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request as the handlers see it; handlers name the model and version they served, for logs and metrics. */
export interface RequestContext {
  readonly id: string;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  /** Path parameters by name (URL-decoded). */
  readonly params: Readonly<Record<string, string>>;
  model?: string;
  version?: string;
}

export interface Route<S> {
  readonly method: 'GET' | 'POST';
  /** The path as a pattern with named groups, e.g. /^\/v2\/models\/(?<model>[^/]+)$/. */
  readonly path: RegExp;
  /** The route's name in metrics and logs (the path template). */
  readonly label: string;
  /** How errors are written: the protocol's `{"error": "..."}` or `{"error": {"code", "message"}}`. */
  readonly errors: 'v2' | 'coded';
  /** Whether the route needs the API key (health probes do not). */
  readonly auth: boolean;
  handle(context: RequestContext, state: S): Promise<void>;
}

export type RouteMatch<S> = { route: Route<S>; params: Record<string, string> } | { allowed: string[] } | null;

/** The route of a method and path; a path known under other methods gives those methods (405). */
export function matchRoute<S>(routes: readonly Route<S>[], method: string, path: string): RouteMatch<S> {
  const allowed: string[] = [];
  for (const route of routes) {
    const match = route.path.exec(path);
    if (!match) continue;
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) {
      allowed.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(match.groups ?? {})) {
      if (value !== undefined) params[name] = decodeURIComponent(value);
    }
    return { route, params };
  }
  return allowed.length > 0 ? { allowed } : null;
}
