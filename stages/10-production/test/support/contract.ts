import express from 'express';
import type { z } from 'zod';
import type { CatalogueEntry } from '../../src/errors.ts';
import { API_PREFIX, type RouteDoc } from '../../src/openapi/openapi.document.ts';

// LESSON: the document is enforced, not just published. While the tests run, every JSON body any
// app sends goes through checkAnswer(): its (method, path, status) must be documented, and the body
// must match the zod schema the document was generated from. test/support/setup.ts fails the test
// that caused a violation, naming the route, the status and what did not match.

export interface Answer {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export interface Contract {
  routes: readonly RouteDoc[];
  catalogue: readonly CatalogueEntry[];
  errorEnvelope: z.ZodType;
}

// Anchored at the end only: a test may mount the whole app under another path (/edge/api/v1/…).
function pattern(route: RouteDoc): RegExp {
  return new RegExp(`${API_PREFIX}${route.path.replace(/:\w+/g, '[^/]+')}/?$`);
}

function problems(schema: z.ZodType, body: unknown): string | undefined {
  // What goes over the wire (Dates become strings), as the client will parse it.
  const sent: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  const result = schema.safeParse(sent);
  if (!result.success) {
    return result.error.issues
      .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
      .join('; ');
  }
  // zod's objects drop keys they do not know: a key the parsed body lost was sent without being
  // documented (say, a password hash). The document says `additionalProperties: false`; so do we.
  const extra = extraKeys(sent, result.data, '');
  if (extra.length > 0) return `it has fields the schema does not list: ${extra.join(', ')}`;
}

/** The paths of keys in `sent` that `kept` (zod's output) does not have. */
function extraKeys(sent: unknown, kept: unknown, path: string): string[] {
  if (typeof sent !== 'object' || sent === null || typeof kept !== 'object' || kept === null) {
    return [];
  }
  return Object.entries(sent).flatMap(([key, value]) => {
    const at = path ? `${path}.${key}` : key;
    // A record's `__proto__` key (a field error naming it) cannot survive any JS object copy.
    if (key === '__proto__') return [];
    if (!Object.hasOwn(kept, key)) return [at];
    return extraKeys(value, (kept as Record<string, unknown>)[key], at);
  });
}

/** Why `answer` breaks the contract, or undefined when it keeps it. */
export function checkAnswer(contract: Contract, answer: Answer): string | undefined {
  const { status, body } = answer;
  const method = (answer.method === 'HEAD' ? 'GET' : answer.method).toLowerCase();
  const what = `${answer.method} ${answer.path} answered ${status}`;
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  const envelopeProblems = () => problems(contract.errorEnvelope, body);
  const expectError = (allowed: readonly string[]) => {
    const wrong = envelopeProblems();
    if (wrong) return `${what}, but the body is not the error envelope: ${wrong}`;
    const documented = allowed.filter(
      (c) => contract.catalogue.find((e) => e.code === c)?.status === status,
    );
    if (!documented.includes(code as string)) {
      return `${what} ${String(code)}, which is not documented for it (documented for ${status}: ${documented.join(', ') || 'none'})`;
    }
  };

  const matching = contract.routes.filter((route) => pattern(route).test(answer.path));
  // No route has this path: the app-wide 404 (or a 405 for a path without GET, say).
  if (matching.length === 0) {
    return expectError(['NOT_FOUND', 'NOT_ACCEPTABLE', 'INTERNAL_ERROR', 'RATE_LIMIT_EXCEEDED']);
  }
  const route = matching.find((r) => r.method === method);
  // A path we serve, a method we do not: 405 with Allow (or the errors any request can meet).
  if (!route)
    return expectError(['METHOD_NOT_ALLOWED', ...new Set(matching.flatMap((r) => r.errors))]);
  const success = route.responses[status];
  if (success) {
    if (!success.schema) return `${what} with a JSON body, but the document says it has none`;
    const wrong = problems(success.schema, body);
    return wrong && `${what}, and the body does not match the documented schema: ${wrong}`;
  }
  return expectError(route.errors);
}

const WATCHER = Symbol.for('backend-path.contract-watcher');

interface Watcher {
  /** The violations since the last call, emptied. */
  take(): string[];
}

/**
 * Test-only: every `res.json()` of every Express app in this process is checked against
 * `contract`; violations are collected for test/support/setup.ts to report. Returns the collector.
 */
export function watchAnswers(contract: Contract) {
  // Once per process: setup.ts runs before every file, and the workers reuse the process.
  const installed = (globalThis as { [WATCHER]?: Watcher })[WATCHER];
  if (installed) return installed;
  const violations: string[] = [];
  const original = express.response.json;
  express.response.json = function json(this: express.Response, body: unknown) {
    const path = this.req.originalUrl.split('?')[0] ?? '';
    const problem = checkAnswer(contract, {
      method: this.req.method,
      path,
      status: this.statusCode,
      body,
    });
    if (problem) violations.push(problem);
    return original.call(this, body);
  };
  const watcher: Watcher = { take: () => violations.splice(0) };
  (globalThis as { [WATCHER]?: Watcher })[WATCHER] = watcher;
  return watcher;
}
