import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { runBeforeCommit } from '../db/transaction.ts';
import {
  IdempotencyKeyInFlightError,
  IdempotencyKeyReusedError,
  InvalidIdempotencyKeyError,
} from '../errors.ts';
import { log } from '../logging/request-context.ts';
import type { IdempotencyStore, StoredResponse } from './idempotency.repository.pg.ts';

// The draft makes the value a Structured Field string ("…"); a bare token is accepted too.
const KEY = /^"?([\x21\x23-\x7e]{1,255})"?$/;
/** The headers a replay must repeat; the rest (Date, X-Request-Id) belong to each answer. */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'cache-control'];

/**
 * The route's path with this request's parameters: `/api/v1/tickets/<id>/comments` however the
 * client spelled it. Express matches `/API/V1/Tickets/` to the same route (case-insensitive, a
 * trailing slash allowed): one request, whatever its spelling, so one fingerprint. Every
 * parameter of this API is a UUID, which PostgreSQL reads in any case: lowercased.
 */
function routePath(req: Request): string {
  const pattern = `${req.baseUrl}${req.route.path}`.toLowerCase();
  return pattern.replace(/:(\w+)/g, (_, name: string) => String(req.params[name]).toLowerCase());
}

/** Same key, same request? Object keys sorted, so `{a,b}` and `{b,a}` are one request. */
function fingerprint(req: Request): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
          )
        : value;
  return createHash('sha256')
    .update(`${req.method} ${routePath(req)}\n${JSON.stringify(canonical(req.body ?? null))}`)
    .digest('hex');
}

function replay(res: Response, stored: StoredResponse): void {
  res
    .status(stored.status)
    .set(stored.headers)
    .set('Idempotent-Replayed', 'true')
    .send(stored.body);
}

/** Stores the answer before it leaves: a client that got it can always have it replayed. */
function storeBeforeSending(res: Response, save: (response: StoredResponse) => Promise<void>) {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    res.send = send; // once: res.json() calls send() again with the serialised string
    const headers = Object.fromEntries(
      REPLAYED_HEADERS.flatMap((name) => {
        const value = res.get(name);
        return value === undefined ? [] : [[name, value]];
      }),
    );
    const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString() : '';
    save({ status: res.statusCode, headers, body: text }).then(
      () => send(body),
      (error: unknown) => {
        log().error(
          { err: error, event: 'idempotency.store.failed' },
          'could not store the answer',
        );
        send(body);
      },
    );
    return res;
  };
}

/**
 * What a create answers (tickets.handlers.ts, comments.handlers.ts: sendData(res, 201, resource,
 * { Location })): 201, the resource in the envelope, at the POST's path + its id. Built from the
 * transaction's result, before the handler has sent anything. Not a resource: nothing to store.
 */
function createdAnswer(req: Request, result: unknown): StoredResponse | undefined {
  const id = (result as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') return undefined;
  return {
    status: 201,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      location: `${routePath(req)}/${id}`,
      'cache-control': 'no-store',
    },
    body: JSON.stringify({ data: result }),
  };
}

// LESSON: a client that timed out cannot know whether its POST created the ticket; with an
// Idempotency-Key it can simply send it again. The first request with a key runs; a retry gets
// the first answer again (same status, headers and body, plus `Idempotent-Replayed: true`).
export function idempotent(store: IdempotencyStore): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('Idempotency-Key');
    if (header === undefined) return next(); // optional: clients that do not retry need none
    const key = KEY.exec(header)?.[1];
    if (key === undefined) throw new InvalidIdempotencyKeyError();
    const callerId = res.locals.user.id; // scoped: another caller's key is another key
    const print = fingerprint(req);
    // Two rounds at most: a key released (a 5xx) between our claim and our read is free again.
    for (let round = 0; round < 2; round++) {
      if (await store.claim(callerId, key, print)) {
        storeBeforeSending(res, (response) =>
          // A 5xx is not an answer to keep: the retry should get a real try.
          response.status >= 500
            ? store.release(callerId, key)
            : store.complete(callerId, key, response),
        );
        // LESSON: exactly once needs the write and its answer in ONE transaction. Stored after
        // the COMMIT only, a crash in between would leave a ticket whose key has no answer: a
        // retry, once the claim expires, would create a second one. So the creating transaction
        // stores the answer before it commits (db/transaction.ts); the line above then stores
        // the very bytes sent (the same, test/idempotency/idempotency.crash.test.ts checks).
        return runBeforeCommit(async (client, result) => {
          const answer = createdAnswer(req, result);
          if (answer) await store.completeWithin(client, callerId, key, answer);
        }, next);
      }
      const existing = await store.find(callerId, key);
      if (existing === null) continue;
      if (existing.fingerprint !== print) throw new IdempotencyKeyReusedError();
      if (existing.response === null) throw new IdempotencyKeyInFlightError();
      log().info({ event: 'idempotency.replayed' }, 'replayed a stored answer');
      return replay(res, existing.response);
    }
    throw new IdempotencyKeyInFlightError();
  };
}
