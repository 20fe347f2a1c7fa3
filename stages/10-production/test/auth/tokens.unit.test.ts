import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import jwt from 'jsonwebtoken';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTokenService } from '../../src/auth/tokens.ts';

// LESSON: time is an input. A token's expiry is tested by moving a fake clock to one second
// before and one second after `exp` — never by sleeping through a TTL. jsonwebtoken reads
// Date.now(), which vi.useFakeTimers replaces.
const SECRET = 'unit-test-secret-of-at-least-thirty-two-chars';
const SETTINGS = { ttlSeconds: 900, issuer: 'backend-path', audience: 'backend-path-api' };
const ISSUED_AT = new Date('2026-03-01T09:00:00.000Z');
const { bob } = FIXTURE_USERS;
const tokens = createTokenService(SECRET, SETTINGS);
const sign = (payload: object, options: jwt.SignOptions = {}) =>
  jwt.sign(payload, SECRET, { algorithm: 'HS256', subject: bob.id, expiresIn: 60, ...options });

beforeEach(() => {
  vi.useFakeTimers({ now: ISSUED_AT });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TokenService.issue / verify', () => {
  it('When a token is issued, then it verifies to exactly the user’s claims, and says its lifetime', () => {
    const issued = tokens.issue(bob, 3);

    expect(issued).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    expect(tokens.verify(issued.accessToken)).toEqual({
      sub: bob.id,
      role: 'agent',
      accountId: bob.accountId,
      ver: 3,
      iss: 'backend-path',
      aud: 'backend-path-api',
      iat: ISSUED_AT.getTime() / 1000,
      exp: ISSUED_AT.getTime() / 1000 + 900,
    });
  });

  it('When the clock is one second before exp, then valid; at exp and after, then null', () => {
    const { accessToken } = tokens.issue(bob, 0);

    vi.setSystemTime(ISSUED_AT.getTime() + 899_000);
    expect(tokens.verify(accessToken)).not.toBeNull();
    vi.setSystemTime(ISSUED_AT.getTime() + 900_000);
    expect(tokens.verify(accessToken)).toBeNull();
    vi.setSystemTime(ISSUED_AT.getTime() + 86_400_000);
    expect(tokens.verify(accessToken)).toBeNull();
  });

  it('When a token is not valid before a later time (nbf), then null until then', () => {
    const claims = { role: 'agent', accountId: bob.accountId, ver: 0 };
    const token = sign(claims, {
      notBefore: 30,
      issuer: SETTINGS.issuer,
      audience: SETTINGS.audience,
    });

    expect(tokens.verify(token)).toBeNull();
    vi.advanceTimersByTime(30_000);
    expect(tokens.verify(token)).toMatchObject({ sub: bob.id });
  });

  it.each([
    ['another issuer', { issuer: 'someone-else', audience: SETTINGS.audience }],
    ['another audience', { issuer: SETTINGS.issuer, audience: 'another-api' }],
    ['no issuer', { audience: SETTINGS.audience }],
  ])('When the token is for %s, then null', (_case, options) => {
    const token = sign({ role: 'agent', accountId: bob.accountId, ver: 0 }, options);

    expect(tokens.verify(token)).toBeNull();
  });

  it('When the signature is another secret’s, or the algorithm is none or HS512, then null', () => {
    const claims = { role: 'admin', accountId: bob.accountId, ver: 0 };
    const pinned = { issuer: SETTINGS.issuer, audience: SETTINGS.audience, subject: bob.id };
    const otherSecret = jwt.sign(claims, `${SECRET}-other`, { ...pinned, algorithm: 'HS256' });
    const hs512 = jwt.sign(claims, SECRET, { ...pinned, algorithm: 'HS512' });
    const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ ...claims, sub: bob.id, iss: SETTINGS.issuer, aud: SETTINGS.audience }),
    ).toString('base64url');

    expect(tokens.verify(otherSecret)).toBeNull();
    expect(tokens.verify(hs512)).toBeNull();
    expect(tokens.verify(`${header}.${body}.`)).toBeNull();
    expect(tokens.verify('not a jwt')).toBeNull();
  });

  it.each([
    ['an unknown role', { role: 'root', accountId: 'a', ver: 0 }],
    ['no accountId', { role: 'agent', ver: 0 }],
    ['a fractional version', { role: 'agent', accountId: 'a', ver: 0.5 }],
    ['a string version', { role: 'agent', accountId: 'a', ver: '0' }],
  ])('When a validly signed token carries %s, then null', (_case, claims) => {
    const token = sign(claims, { issuer: SETTINGS.issuer, audience: SETTINGS.audience });

    expect(tokens.verify(token)).toBeNull();
  });

  it('When a validly signed token has no subject, then null', () => {
    const token = jwt.sign({ role: 'agent', accountId: 'a', ver: 0 }, SECRET, {
      algorithm: 'HS256',
      issuer: SETTINGS.issuer,
      audience: SETTINGS.audience,
    });

    expect(tokens.verify(token)).toBeNull();
  });
});
