import { randomUUID } from 'node:crypto';
import type { UserRole } from '../domain/users.ts';
import { FIXTURE_USER_LIST } from '../seed/fixtures.ts';
import type { Caller, CallerMode } from './context.ts';
import { type Answer, API, expectStatus, expectThat, type SendOptions, send } from './http.ts';

/** The password of every user the checks sign up (8–72 bytes, as stage 05 demands). */
export const CHECK_PASSWORD = 'capability-check-password';

type Send = (method: string, path: string, options?: SendOptions) => Promise<Answer>;

/** The callers of one server, by the stage's caller mode. */
export function callerFactory(mode: CallerMode, baseUrl: string): () => Promise<Caller> {
  const post: Send = (method, path, options) => send(baseUrl, method, path, options);
  if (mode === 'jwt-login') return () => newAccount(post);
  if (mode === 'x-user-id') {
    // The fixture users in turn: on a stage that keeps its tickets in memory (02), each check's
    // tickets then mostly belong to another user, and no one reaches the open-ticket limit.
    let next = 0;
    return async () => {
      const user = FIXTURE_USER_LIST[next++ % FIXTURE_USER_LIST.length];
      if (!user) throw new Error('no fixture users');
      return fixtureCaller(user.id);
    };
  }
  return async () => nobody;
}

const nobody: Caller = {
  id: null,
  accountId: null,
  headers: {},
  colleague: async () => nobody,
};

function fixtureCaller(id: string): Caller {
  const user = FIXTURE_USER_LIST.find((candidate) => candidate.id === id);
  if (!user) throw new Error(`no fixture user ${id}`);
  return {
    id: user.id,
    accountId: user.accountId,
    headers: { 'X-User-Id': user.id },
    colleague: async (role) => {
      const same = FIXTURE_USER_LIST.filter((other) => other.accountId === user.accountId);
      const found = same.find((other) => other.role === role) ?? same[0];
      if (!found) throw new Error(`no fixture user in account ${user.accountId}`);
      return fixtureCaller(found.id);
    },
  };
}

function uniqueEmail(): string {
  return `check-${randomUUID()}@capabilities.test`;
}

/** Signs up a new account (its first user is its admin) and logs in. */
async function newAccount(post: Send): Promise<Caller> {
  const email = uniqueEmail();
  const registered = await post('POST', `${API}/auth/register`, {
    json: {
      email,
      password: CHECK_PASSWORD,
      name: 'Capability Check',
      accountName: `Capabilities ${email.slice(6, 14)}`,
    },
  });
  expectStatus(registered, 201, 'sign-up of a new account');
  const user = registered.body?.data;
  expectThat(typeof user?.id === 'string', registered, 'expected the new user in data');
  return loggedIn(post, email, user.id, user.accountId);
}

/** Logs `email` in and returns a caller that sends its token. */
async function loggedIn(post: Send, email: string, id: string, accountId: string): Promise<Caller> {
  const login = await post('POST', `${API}/auth/login`, {
    json: { email, password: CHECK_PASSWORD },
  });
  expectStatus(login, 200, `login as ${email}`);
  const token = login.body?.data?.accessToken;
  expectThat(typeof token === 'string', login, 'expected data.accessToken');
  const headers = { Authorization: `Bearer ${token}` };
  const caller: Caller = {
    id,
    accountId,
    headers,
    colleague: (role) => addColleague(post, caller, role),
  };
  return caller;
}

/** An admin adds a user to their account (POST /users), who then logs in. */
async function addColleague(post: Send, admin: Caller, role: UserRole): Promise<Caller> {
  const email = uniqueEmail();
  const created = await post('POST', `${API}/users`, {
    headers: admin.headers,
    json: { email, password: CHECK_PASSWORD, name: `Capability ${role}`, role },
  });
  expectStatus(created, 201, `an admin adds a ${role}`);
  const user = created.body?.data;
  expectThat(typeof user?.id === 'string', created, 'expected the new user in data');
  return loggedIn(post, email, user.id, user.accountId);
}
