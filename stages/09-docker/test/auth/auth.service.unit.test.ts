import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { describe, expect, it, vi } from 'vitest';
import { createAuthService } from '../../src/auth/auth.service.ts';
import { createPasswordHasher } from '../../src/auth/passwords.ts';
import { createTokenService } from '../../src/auth/tokens.ts';
import { InvalidCredentialsError, NotFoundError } from '../../src/errors.ts';
import { createUserService } from '../../src/users/users.service.ts';
import { createFakeDataLayer } from '../fakes/fake-data-layer.ts';

// Real bcrypt at its minimum cost (≈ 1 ms a hash): the hasher is CPU, not I/O, and faking it
// would hide the 72-byte rule. The spy only counts calls.
const hasher = createPasswordHasher(4);
const tokens = createTokenService('unit-test-secret-of-at-least-thirty-two-chars', {
  ttlSeconds: 60,
  issuer: 'backend-path',
  audience: 'backend-path-api',
});
const PASSWORD = 'correct-horse-battery-staple';
const { alice, bob, carol, dave } = FIXTURE_USERS;

function setup() {
  const layer = createFakeDataLayer();
  const passwords = { ...hasher, verify: vi.fn(hasher.verify) };
  return {
    ...layer,
    passwords,
    auth: createAuthService(layer.credentials, passwords, tokens),
    users: createUserService(layer.credentials, passwords),
  };
}
const registration = {
  accountName: 'Initech',
  email: 'peter@initech.test',
  name: 'Peter',
  password: PASSWORD,
};

describe('AuthService.register / login', () => {
  it('When someone registers, then they can log in and the token names them as their account’s admin', async () => {
    const { auth } = setup();

    const admin = await auth.register(registration);
    const { accessToken } = await auth.login('peter@initech.test', PASSWORD);

    expect(admin).toMatchObject({ role: 'admin', email: 'peter@initech.test' });
    expect(tokens.verify(accessToken)).toMatchObject({
      sub: admin.id,
      role: 'admin',
      accountId: admin.accountId,
      ver: 0,
    });
  });

  it('When the password is wrong, the e-mail unknown, or the user has no password, then the same InvalidCredentialsError, after exactly one compare each', async () => {
    const { auth, passwords } = setup();
    await auth.register(registration);

    const attempts = [
      ['peter@initech.test', 'wrong-password'],
      ['nobody@initech.test', PASSWORD],
      [bob.email, PASSWORD], // fixture users have no password in the fakes
    ] as const;
    for (const [email, password] of attempts) {
      await expect(auth.login(email, password)).rejects.toThrow(new InvalidCredentialsError());
    }
    // The unknown e-mail was compared against the dummy hash: no early return to time.
    expect(passwords.verify).toHaveBeenCalledTimes(3);
    expect(passwords.verify).toHaveBeenNthCalledWith(2, PASSWORD, hasher.dummyHash);
  });

  it('When the password is longer than 72 bytes, then login fails even though bcrypt would match its first 72', async () => {
    const { auth } = setup();
    const long = 'é'.repeat(36); // 72 bytes
    await auth.register({ ...registration, password: long });

    await expect(auth.login(registration.email, long)).resolves.toMatchObject({
      tokenType: 'Bearer',
    });
    await expect(auth.login(registration.email, `${long}x`)).rejects.toBeInstanceOf(
      InvalidCredentialsError,
    );
  });

  it('When a user logs out everywhere, then their stored token version moves on', async () => {
    const { auth, credentials } = setup();

    await auth.logoutAll(bob);

    expect((await credentials.findById(bob.id))?.tokenVersion).toBe(1);
    expect((await credentials.findById(carol.id))?.tokenVersion).toBe(0);
  });
});

describe('UserService', () => {
  it('When an admin creates a user, then it lands in the admin’s account whatever else is said, with a hashed password', async () => {
    const { users, credentials } = setup();

    const created = await users.create(carol, {
      email: 'new@acme.test',
      name: 'New',
      role: 'agent',
      password: PASSWORD,
    });

    const stored = await credentials.findById(created.id);
    expect(created).toMatchObject({ accountId: carol.accountId, role: 'agent' });
    expect(stored?.passwordHash).toMatch(/^\$2b\$04\$/);
    expect(await hasher.verify(PASSWORD, stored?.passwordHash ?? '')).toBe(true);
  });

  it('When users are looked up, then staff see their account, a customer only themself, others get NotFound', async () => {
    const { users } = setup();

    await expect(users.get(bob, alice.id)).resolves.toEqual(alice);
    await expect(users.get(alice, alice.id)).resolves.toEqual(alice);
    await expect(users.get(alice, bob.id)).rejects.toThrow(
      new NotFoundError(`User ${bob.id} does not exist.`),
    );
    await expect(users.get(carol, dave.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(users.get(carol, '0b000000-0000-4000-8000-00000000dead')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
