import type { UserRole } from '../domain/users.ts';
import type { Answer, SendOptions } from './http.ts';

/**
 * How a stage knows who is asking, read from what it declares: `auth` (stage 05 on: a Bearer
 * token from POST /auth/login), `caller-header` (stages 02–04: `X-User-Id`), or nobody (stage 01).
 */
export type CallerMode = 'none' | 'x-user-id' | 'jwt-login';

/** Someone the checks act as. */
export interface Caller {
  /** The user's id and account; null where the stage has no callers. */
  id: string | null;
  accountId: string | null;
  /** The headers that make a request this caller's. */
  headers: Record<string, string>;
  /** Someone else in the same account with this role (a new user where the stage can make one). */
  colleague(role: UserRole): Promise<Caller>;
}

/** What every check gets: the running server, and a client that knows how to be a caller there. */
export interface CapabilityContext {
  baseUrl: string;
  callerMode: CallerMode;
  /** Whether the stage declares a capability: a check adapts to the ones it builds on. */
  declares(capability: string): boolean;
  /**
   * A caller of the check's own. With `auth`, a new account (nothing in it, nothing cached for
   * it, its own rate-limit budget); with `caller-header`, the next fixture user; else nobody.
   */
  newCaller(): Promise<Caller>;
  /** An origin the server was started to allow (CORS_ORIGINS). */
  allowedOrigin: string;
  /** Everything the server printed so far (its logs). */
  serverOutput(): string;
  /** One request to the server, as `caller` when given. */
  send(method: string, path: string, options?: SendOptions & { as?: Caller }): Promise<Answer>;
}

/** A check: its test is named "When the stage declares <name>, then <promise>". */
export interface CapabilityCheck {
  name: string;
  promise: string;
  run(ctx: CapabilityContext): Promise<void>;
}
