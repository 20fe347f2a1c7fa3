import { createSecretKey } from 'node:crypto';
import { USER_ROLES, type User, type UserRole } from '@backend-path/shared/domain/users';
import jwt from 'jsonwebtoken';
import type { TokenSettings } from '../config.ts';

/** What an access token says, besides iss, aud, iat and exp. Nothing secret, nothing personal. */
export interface AccessClaims {
  sub: string;
  role: UserRole;
  accountId: string;
  /** The user's token_version when it was issued: logout-all makes older ones invalid. */
  ver: number;
}

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface TokenService {
  issue(user: User, tokenVersion: number): IssuedToken;
  /** The claims of a valid token; null for anything else (the caller needs no reason). */
  verify(token: string): AccessClaims | null;
}

function isClaims(payload: unknown): payload is AccessClaims {
  if (typeof payload !== 'object' || payload === null) return false;
  const { sub, role, accountId, ver } = payload as Record<string, unknown>;
  return (
    typeof sub === 'string' &&
    typeof accountId === 'string' &&
    USER_ROLES.includes(role as UserRole) &&
    Number.isInteger(ver)
  );
}

// LESSON: a JWT is signed, not encrypted: anyone holding one can read it (base64url), and only
// the holder of the secret can make one that verifies. Verify pins everything the token could
// otherwise choose for itself: the algorithm (no `none`, no switch to another one), who issued
// it and for whom. jsonwebtoken checks exp and nbf.
export function createTokenService(secret: string, settings: TokenSettings): TokenService {
  const { ttlSeconds, issuer, audience } = settings;
  // A key object, made once: given a string, jsonwebtoken's verify first tries to parse it as a
  // PEM public key, fails, and only then makes a secret key from it — on every request. That
  // thrown-and-caught parse was a quarter of stage 10's CPU per request (pnpm lab:stack-cost).
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return {
    issue(user, tokenVersion) {
      const claims = { role: user.role, accountId: user.accountId, ver: tokenVersion };
      const accessToken = jwt.sign(claims, key, {
        algorithm: 'HS256',
        subject: user.id,
        issuer,
        audience,
        expiresIn: ttlSeconds,
      });
      return { accessToken, tokenType: 'Bearer', expiresIn: ttlSeconds };
    },

    verify(token) {
      try {
        const payload = jwt.verify(token, key, { algorithms: ['HS256'], issuer, audience });
        return isClaims(payload) ? payload : null;
      } catch {
        return null; // expired, not yet valid, bad signature, wrong iss/aud, not a JWT at all
      }
    },
  };
}
