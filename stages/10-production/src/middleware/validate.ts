import type { RequestHandler, Response } from 'express';
import type { z } from 'zod';
import {
  type FieldErrors,
  InvalidBodyError,
  InvalidIdError,
  InvalidQueryError,
  ValidationError,
} from '../errors.ts';

/** The schemas of one route: any of its body, query string and path parameters. */
export interface RequestSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

type Parsed<S extends RequestSchemas> = {
  [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never;
};

declare global {
  namespace Express {
    interface Locals {
      /** Set by validate(): the parsed body, query and params. Read them with validated(). */
      body?: unknown;
      query?: unknown;
      params?: unknown;
    }
  }
}

/**
 * Every failing field at once, by dotted path. A strict object reports its unknown keys in one
 * issue: each key gets its own entry. A Map, then fromEntries: a `__proto__` key is recorded
 * like any other (on a plain object, `fields.__proto__ = …` would set the prototype instead).
 */
function fieldErrors(
  issues: readonly z.core.$ZodIssue[],
  unknownKey: (key: string, message: string) => string,
): FieldErrors {
  const fields = new Map<string, string>();
  for (const issue of issues) {
    const at = issue.path.map(String);
    const entries: [string, string][] =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => [[...at, key].join('.'), unknownKey(key, issue.message)])
        : [[at.join('.'), issue.message]];
    // The first message per field: the most basic problem (wrong type before too long).
    for (const [path, message] of entries) if (path && !fields.has(path)) fields.set(path, message);
  }
  return Object.fromEntries(fields);
}

function bodyError(issues: readonly z.core.$ZodIssue[]): Error {
  // Not an object at all (42, "x", null, [], no body): there are no fields to name.
  if (issues.some((issue) => issue.path.length === 0 && issue.code === 'invalid_type')) {
    return new InvalidBodyError();
  }
  const fields = fieldErrors(issues, () => 'Unknown field.');
  // A rule about the whole body ("send at least one field") has no field: its message says it.
  const whole = issues.find(
    (issue) => issue.path.length === 0 && issue.code !== 'unrecognized_keys',
  );
  if (Object.keys(fields).length === 0) return new ValidationError(undefined, whole?.message);
  return new ValidationError(fields);
}

// LESSON: validate at the edge. The schemas run before the handler: anything that reaches it is
// parsed (trimmed, defaulted, coerced) and typed, and a bad request never costs a query. Which
// error: a path parameter that is not an id, 400 INVALID_ID (no such resource can exist); a bad
// query string, 400 INVALID_QUERY (the request itself is malformed); a body that is well-formed
// JSON but breaks the rules, 422 VALIDATION_FAILED (understood, and refused).
export function validate(schemas: RequestSchemas): RequestHandler {
  return (req, res, next) => {
    if (schemas.params) {
      const result = schemas.params.safeParse(req.params);
      if (!result.success) throw new InvalidIdError();
      res.locals.params = result.data;
    }
    if (schemas.query) {
      const result = schemas.query.safeParse(req.query);
      if (!result.success) {
        const fields = fieldErrors(
          result.error.issues,
          (key, known) => `${key} is not a parameter here; ${known}.`,
        );
        throw new InvalidQueryError(fields, Object.values(fields).join(' '));
      }
      res.locals.query = result.data;
    }
    if (schemas.body) {
      const result = schemas.body.safeParse(req.body);
      if (!result.success) throw bodyError(result.error.issues);
      res.locals.body = result.data;
    }
    next();
  };
}

/**
 * The parsed input, typed by the same schemas the route gave validate(): Express 5's `req.query`
 * is a getter (it cannot be replaced), so parsed values live in `res.locals`.
 */
export function validated<S extends RequestSchemas>(res: Response, _schemas: S): Parsed<S> {
  const { body, query, params } = res.locals;
  return { body, query, params } as Parsed<S>;
}
