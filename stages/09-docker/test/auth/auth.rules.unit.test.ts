import type { User } from '@backend-path/shared/domain/users';
import { FIXTURE_ACCOUNTS, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { buildTicket } from '@backend-path/shared/testing/factories';
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it, vi } from 'vitest';
import { createTokenService } from '../../src/auth/tokens.ts';
import { ForbiddenError, UnauthenticatedError } from '../../src/errors.ts';
import { authenticate } from '../../src/middleware/authenticate.ts';
import { authorize } from '../../src/middleware/authorize.ts';
import { canSee, visibleTo } from '../../src/tickets/tickets.access.ts';
import { createFakeDataLayer } from '../fakes/fake-data-layer.ts';

const { alice, bob, carol, dave, erin } = FIXTURE_USERS;

/** A middleware run on a bare request/response pair: what it put in res.locals, or what it threw. */
async function run(
  middleware: (req: Request, res: Response, next: NextFunction) => unknown,
  { authorization, user }: { authorization?: string; user?: User } = {},
) {
  const req = {
    get: (name: string) => (name === 'Authorization' ? authorization : undefined),
  } as Request;
  const res = { locals: { user } } as unknown as Response;
  const next = vi.fn();
  const error = await Promise.resolve()
    .then(() => middleware(req, res, next))
    .then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
  return { error, next, locals: res.locals };
}

describe('canSee / visibleTo (which rows)', () => {
  const alicesTicket = buildTicket({ createdBy: alice.id, accountId: FIXTURE_ACCOUNTS.acme.id });

  it.each([
    ['alice (its creator)', alice, true],
    ['bob (acme agent)', bob, true],
    ['carol (acme admin)', carol, true],
    ['dave (globex customer)', dave, false],
    ['erin (globex agent)', erin, false],
  ])('When %s looks at alice’s acme ticket, then canSee is %s', (_who, caller, expected) => {
    expect(canSee(caller, alicesTicket)).toBe(expected);
  });

  it('When a customer looks at a colleague’s ticket of their own account, then not visible', () => {
    expect(canSee(alice, buildTicket({ createdBy: carol.id, accountId: alice.accountId }))).toBe(
      false,
    );
  });

  it('When lists are filtered, then a customer by account and creator, staff by account only', () => {
    expect(visibleTo(alice)).toEqual({ accountId: alice.accountId, createdBy: alice.id });
    expect(visibleTo(bob)).toEqual({ accountId: bob.accountId });
    expect(visibleTo(carol)).toEqual({ accountId: carol.accountId });
  });
});

describe('authorize (which roles)', () => {
  it('When the caller has one of the roles, then next() and no error', async () => {
    const { error, next } = await run(authorize('agent', 'admin'), { user: bob });

    expect(error).toBeUndefined();
    expect(next).toHaveBeenCalledOnce();
  });

  it('When the caller has none of them, then ForbiddenError naming the roles, and next() is not called', async () => {
    const { error, next } = await run(authorize('agent', 'admin'), { user: alice });

    expect(error).toEqual(new ForbiddenError('This needs the role agent or admin.'));
    expect(error).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(next).not.toHaveBeenCalled();
  });
});

describe('authenticate (who is calling)', () => {
  const tokens = createTokenService('unit-test-secret-of-at-least-thirty-two-chars', {
    ttlSeconds: 60,
    issuer: 'backend-path',
    audience: 'backend-path-api',
  });
  function setup() {
    const layer = createFakeDataLayer();
    return { ...layer, middleware: authenticate(tokens, layer.credentials) };
  }

  it('When the token is valid and its version current, then the stored user is the caller', async () => {
    const { middleware } = setup();

    const { error, next, locals } = await run(middleware, {
      authorization: `Bearer ${tokens.issue(bob, 0).accessToken}`,
    });

    expect(error).toBeUndefined();
    expect(next).toHaveBeenCalledOnce();
    expect(locals.user).toEqual(bob);
  });

  it('When the scheme is lower-case, then it is accepted (schemes are case-insensitive)', async () => {
    const { middleware } = setup();

    const { error } = await run(middleware, {
      authorization: `bearer ${tokens.issue(bob, 0).accessToken}`,
    });

    expect(error).toBeUndefined();
  });

  it('When there is no token, then 401 with a bare Bearer challenge', async () => {
    const { middleware } = setup();

    for (const authorization of [undefined, '', 'Basic Ym9iOnB3', 'Bearer']) {
      const { error, next } = await run(middleware, { authorization });
      expect(error).toBeInstanceOf(UnauthenticatedError);
      // The message tells a client what to send (a mutant that emptied it survived a run).
      expect((error as Error).message).toBe(
        'Send a valid access token: Authorization: Bearer <token> (POST /api/v1/auth/login).',
      );
      expect(next).not.toHaveBeenCalled();
      if (authorization !== 'Bearer')
        expect((error as UnauthenticatedError).headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
    }
  });

  it('When the token is invalid, revoked (logout-all), has extra parts, or its user is gone, then 401 invalid_token', async () => {
    const { middleware, credentials, store } = setup();
    const stale = tokens.issue(bob, 0).accessToken;
    await credentials.bumpTokenVersion(bob.id);
    const gone = tokens.issue(carol, 0).accessToken;
    store.users.delete(carol.id);

    for (const authorization of [
      `Bearer ${stale}`,
      `Bearer ${gone}`,
      `Bearer ${tokens.issue(bob, 1).accessToken} extra`,
      'Bearer not.a.jwt',
    ]) {
      const { error, next } = await run(middleware, { authorization });
      expect(error).toMatchObject({
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      });
      expect(next).not.toHaveBeenCalled();
    }
  });
});
