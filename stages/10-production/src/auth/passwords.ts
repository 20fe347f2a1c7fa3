import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';

// bcrypt reads at most 72 bytes and silently ignores the rest: a longer password would be
// accepted and then partly not checked. Bytes, not characters: "é" is 2 bytes, "😀" is 4.
export const PASSWORD_BYTES = { min: 8, max: 72 } as const;

export function passwordBytes(password: string): number {
  return Buffer.byteLength(password, 'utf8');
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** A real hash at the same cost of a password nobody knows: login compares against it when
   * the e-mail is unknown, so both failures cost one bcrypt compare. */
  readonly dummyHash: string;
}

// LESSON: a password is stored as a slow, salted hash. Slow on purpose: at cost 12 one guess
// takes ≈ 200 ms here, so a leaked table of hashes costs an attacker years, not minutes. And
// only the async API on the request path: it runs on libuv's thread pool, while hashSync
// would stop the event loop, and every other request, for those 200 ms (lab:bcrypt).
export function createPasswordHasher(cost: number): PasswordHasher {
  return {
    hash: (password) => bcrypt.hash(password, cost),
    verify: (password, hash) => bcrypt.compare(password, hash),
    // Once, at startup (not on the request path), so it may block.
    dummyHash: bcrypt.hashSync(randomBytes(18).toString('base64'), cost),
  };
}
