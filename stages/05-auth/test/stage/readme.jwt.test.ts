import { readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { TEST_TOKEN_SETTINGS } from '../support/helpers.ts';

// README.md decodes its own example token: this keeps the token, the secret it names and the
// claims it shows in agreement.
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('When its example JWT is verified with the secret it names, then it holds the claims it shows', () => {
    const token = README.match(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/)?.[0] ?? '';
    const secret = README.match(/signed with the secret `([^`]+)`/)?.[1] ?? '';
    const shown = README.match(/\{"role":[^`]*?"sub":"[^"]+"\}/s)?.[0] ?? '';

    const payload = jwt.verify(token, secret, {
      algorithms: ['HS256'],
      issuer: TEST_TOKEN_SETTINGS.issuer,
      audience: TEST_TOKEN_SETTINGS.audience,
      clockTimestamp: 1798794000 + 60, // a minute after its iat: the example is from 2027
    });

    expect(payload).toEqual(JSON.parse(shown.replace(/\n\s*/g, '')));
  });
});
