import type { User } from '@backend-path/shared/domain/users';
import type { RequestHandler } from 'express';
import type { CredentialsRepository } from '../auth/credentials.repository.pg.ts';
import type { TokenService } from '../auth/tokens.ts';
import { UnauthenticatedError } from '../errors.ts';

declare global {
  namespace Express {
    interface Locals {
      /** The caller, set by authenticate() on the routes that use it. */
      user: User;
    }
  }
}

// One message for every failure: telling a caller WHICH check failed (expired? wrong
// signature? unknown user?) helps an attacker more than a client, which can only log in again.
const MESSAGE =
  'Send a valid access token: Authorization: Bearer <token> (POST /api/v1/auth/login).';

// LESSON: authentication is proving who you are, not saying it. Stage 04's X-User-Id let anyone
// be anyone; a token verifies only if we signed it, recently, for this API. The user is still
// read on every request (one lookup by primary key): a deleted user, a changed role or a
// logout-all takes effect at once instead of when the token expires. Handlers keep reading
// res.locals.user and did not change.
export function authenticate(
  tokens: TokenService,
  credentials: CredentialsRepository,
): RequestHandler {
  return async (req, res, next) => {
    const [scheme, token, ...rest] = (req.get('Authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer') {
      // No token at all (or another scheme): RFC 6750 says the challenge carries no error code.
      throw new UnauthenticatedError(MESSAGE);
    }
    // A function, not an error made up front: an Error captures its stack when it is created,
    // and most requests carry a good token.
    const invalid = () => new UnauthenticatedError(MESSAGE, 'Bearer error="invalid_token"');
    const claims = token && rest.length === 0 ? tokens.verify(token) : null;
    if (!claims) throw invalid();
    const found = await credentials.findById(claims.sub);
    if (!found || found.tokenVersion !== claims.ver) throw invalid();
    res.locals.user = found.user;
    next();
  };
}
