import type { IncomingMessage, ServerResponse } from 'node:http';

export type Params = Record<string, string>;

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Params;
  query: URLSearchParams;
  /** The parsed JSON body for POST/PUT/PATCH, `undefined` otherwise. */
  body: unknown;
}

export type Handler = (context: RequestContext) => Promise<void>;

export interface Route {
  method: string;
  /** Literal segments and `:name` parameters, e.g. `/api/v1/tickets/:id`. */
  path: string;
  handler: Handler;
}

export type RouteMatch =
  | { kind: 'found'; handler: Handler; params: Params }
  | { kind: 'options'; allow: string[] }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

export interface Router {
  match(method: string, pathname: string): RouteMatch;
}

function splitPath(pathname: string): string[] {
  // `/api/v1/tickets/` and `/api/v1/tickets` are the same resource (Express agrees by default).
  return pathname.split('/').filter((segment, index, all) => index < all.length - 1 || segment);
}

function matchPattern(pattern: string[], segments: string[]): Params | null {
  if (pattern.length !== segments.length) return null;
  const params: Params = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return null; // `%E0%A4%A` is not a valid escape: no route can mean it
      }
      if (segment === '') return null;
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}

// LESSON: a router is a table lookup. 404 means "no such resource", 405 means "the resource
// exists, but not with this method" — and then the `Allow` header tells the client what does.
export function createRouter(routes: readonly Route[]): Router {
  const compiled = routes.map((route) => ({ ...route, pattern: splitPath(route.path) }));
  return {
    match(method, pathname) {
      const segments = splitPath(pathname);
      const allow: string[] = [];
      for (const route of compiled) {
        const params = matchPattern(route.pattern, segments);
        if (!params) continue;
        if (route.method === method) return { kind: 'found', handler: route.handler, params };
        allow.push(route.method);
      }
      if (allow.length === 0) return { kind: 'not-found' };
      // Every known path answers OPTIONS (the CORS preflight), so it is always allowed.
      allow.push('OPTIONS');
      return method === 'OPTIONS'
        ? { kind: 'options', allow }
        : { kind: 'method-not-allowed', allow };
    },
  };
}

/** Splits `req.url` by hand: `new URL('//x', base)` would read `//x` as a host name. */
export function splitUrl(rawUrl: string): { pathname: string; query: URLSearchParams } {
  const at = rawUrl.indexOf('?');
  if (at === -1) return { pathname: rawUrl, query: new URLSearchParams() };
  return { pathname: rawUrl.slice(0, at), query: new URLSearchParams(rawUrl.slice(at + 1)) };
}
