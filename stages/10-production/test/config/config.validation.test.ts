import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEVELOPMENT_VALUES } from '../../src/config.schema.ts';
import { estimatedBits, PRODUCTION_MIN_SECRET_BITS } from '../../src/config.secret.ts';
import { ConfigError, loadConfig, loadServerConfig } from '../../src/config.ts';

/** What .env.example says to generate: 32 random bytes, base64url. */
const SECRET = randomBytes(32).toString('base64url');
/** What a production deployment sets: every development value replaced. */
const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://api@db.internal:5432/tickets',
  CORS_ORIGINS: 'https://app.example',
  JWT_SECRET: SECRET,
  REDIS_URL: 'redis://cache.internal:6379',
};

/** The problems loadServerConfig reports for `env`, or [] when it loads. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadServerConfig(env);
    return [];
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('the configuration schema', () => {
  it('When several variables are wrong, then one error lists every one of them by name', () => {
    const problems = problemsOf({
      PORT: 'abc',
      DATABASE_POOL_MAX: '0',
      BCRYPT_COST: '3',
      DATABASE_URL: 'mysql://db/x',
      ACCESS_LOG: 'maybe',
      NODE_ENV: 'staging',
      JWT_SECRET: SECRET,
    });

    expect(problems.map((problem) => problem.split(' ')[0]).sort()).toEqual([
      'ACCESS_LOG',
      'BCRYPT_COST',
      'DATABASE_POOL_MAX',
      'DATABASE_URL',
      'NODE_ENV',
      'PORT',
    ]);
    expect(problems).toContain('NODE_ENV must be one of development, test, production');
  });

  it.each([
    ['false', false],
    ['0', false],
    ['no', false],
    ['off', false],
    ['true', true],
    ['yes', true],
  ])('When ACCESS_LOG is "%s", then the flag is %s', (raw, expected) => {
    expect(loadConfig({ ACCESS_LOG: raw }).accessLog).toBe(expected);
  });

  it('When a flag were coerced with z.coerce.boolean(), then "false" would be true (why stringbool)', () => {
    expect(z.coerce.boolean().parse('false')).toBe(true);
    expect(z.stringbool().parse('false')).toBe(false);
  });

  it.each([
    ['not a URL', 'localhost:5432/x'],
    ['another database', 'mysql://db.internal/x'],
  ])('When DATABASE_URL is %s, then loading fails naming it', (_case, url) => {
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(
      /DATABASE_URL must be a postgres:\/\/ URL/,
    );
  });

  it.each([
    ['not a URL', 'localhost:6379'],
    ['another scheme', 'http://cache.internal:6379'],
  ])('When REDIS_URL is %s, then loading fails naming it', (_case, url) => {
    expect(() => loadConfig({ REDIS_URL: url })).toThrow(/REDIS_URL must be a redis:\/\/ URL/);
  });

  it('When REDIS_URL is rediss:// (Redis over TLS), then it is used as given', () => {
    expect(loadConfig({ REDIS_URL: 'rediss://cache.internal:6380' }).redis.url).toBe(
      'rediss://cache.internal:6380',
    );
  });

  it('When CORS_ORIGINS holds something that is not an http(s) origin, then loading fails naming it', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example,app.example' })).toThrow(
      /CORS_ORIGINS/,
    );
  });

  it('When a variable is set but empty, then its default applies', () => {
    expect(loadConfig({ PORT: '', DATABASE_POOL_MAX: '' })).toMatchObject({
      port: 3000,
      databasePoolMax: 10,
    });
  });

  it('When JWT_SECRET is too short among other problems, then the message never holds its value', () => {
    const short = 'short-secret-value';

    const problems = problemsOf({ JWT_SECRET: short, PORT: '-1' });

    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('JWT_SECRET must be set to at least 32');
    expect(problems.join('\n')).not.toContain(short);
  });
});

describe('production', () => {
  it('When every development value is replaced, then the configuration loads', () => {
    const { config, jwtSecret } = loadServerConfig(PRODUCTION);

    expect(jwtSecret).toBe(SECRET);
    expect(config).toMatchObject({
      databaseUrl: PRODUCTION.DATABASE_URL,
      corsOrigins: ['https://app.example'],
      redis: { url: PRODUCTION.REDIS_URL },
    });
  });

  it('When nothing but NODE_ENV is set, then the database, the origins, Redis and the secret are each required', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });

    expect(problems).toEqual([
      'JWT_SECRET must be set to at least 32 random characters (it is not set)',
      'DATABASE_URL must be set in production (the default is for development)',
      'CORS_ORIGINS must be set in production (the default is for development)',
      'REDIS_URL must be set in production (the default is for development)',
    ]);
  });

  it('When the development values are set explicitly, then production refuses each one', () => {
    const problems = problemsOf({
      ...DEVELOPMENT_VALUES,
      NODE_ENV: 'production',
      BCRYPT_COST: '4',
    });

    expect(problems).toEqual([
      'DATABASE_URL must not be the development value in production',
      'CORS_ORIGINS must not be the development value in production',
      'REDIS_URL must not be the development value in production',
      'JWT_SECRET must not be the example secret of .env.example in production',
      'BCRYPT_COST must be at least 10 in production',
    ]);
  });

  it('When the development values are used outside production, then they load (the defaults a laptop needs)', () => {
    expect(problemsOf({ ...DEVELOPMENT_VALUES, NODE_ENV: 'development' })).toEqual([]);
  });
});

describe('production and a secret that is long enough but weak', () => {
  it.each([
    ['the Kubernetes example’s placeholder', 'replace-me-with-32-or-more-random-characters'],
    ['a "changeme" repeated to length', 'changemechangemechangemechangeme'],
    ['a phrase around "secret"', 'MySuperSecretSigningKeyForTheApi2024'],
    ['words with "your" and "test" in them', 'your-own-test-value-for-the-api-tokens'],
    ['one character repeated', 'a'.repeat(48)],
    ['two characters alternating', 'ab'.repeat(24)],
    ['the digits over and over', '0123456789'.repeat(4)],
    ['a run through the alphabet', 'abcdefghijklmnopqrstuvwxyz0123456789'],
    ['16 random bytes in hex (128 bits; HS256 wants 256)', randomBytes(16).toString('hex')],
    ['a UUID', `${crypto.randomUUID()}`],
  ])(
    'When JWT_SECRET is %s, then production refuses it, naming the variable and not the value',
    (_case, secret) => {
      const problems = problemsOf({ ...PRODUCTION, JWT_SECRET: secret });

      expect(problems).toEqual([
        expect.stringMatching(
          /^JWT_SECRET (looks like a placeholder|is a run of|has too little entropy).* in production$/,
        ),
      ]);
      expect(problems.join('\n')).not.toContain(secret);
    },
  );

  it.each([
    ['32 random bytes, base64url (.env.example)', () => randomBytes(32).toString('base64url')],
    ['32 random bytes, base64 (openssl rand -base64 32)', () => randomBytes(32).toString('base64')],
    ['32 random bytes, hex (openssl rand -hex 32)', () => randomBytes(32).toString('hex')],
  ])('When JWT_SECRET is %s, then production accepts it, 100 keys in a row', (_case, generate) => {
    for (let i = 0; i < 100; i++) {
      const secret = generate();
      expect(problemsOf({ ...PRODUCTION, JWT_SECRET: secret }), secret).toEqual([]);
    }
  });

  it('When the estimate is read, then it is length times the entropy of the characters used', () => {
    expect(estimatedBits('a'.repeat(40))).toBe(0);
    expect(estimatedBits('ab'.repeat(20))).toBe(40);
    expect(estimatedBits('0123456789abcdef'.repeat(2))).toBe(128);
    expect(PRODUCTION_MIN_SECRET_BITS).toBe(160);
  });

  it('When a weak secret is used outside production, then it still loads (tests and laptops use such secrets)', () => {
    expect(problemsOf({ JWT_SECRET: 'replace-me-with-32-or-more-random-characters' })).toEqual([]);
  });
});

describe('a one-off command in production (migrate, seed)', () => {
  it('When only NODE_ENV and DATABASE_URL are set, then loadConfig loads: no secret, no origins, no Redis needed', () => {
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: PRODUCTION.DATABASE_URL });

    expect(config.databaseUrl).toBe(PRODUCTION.DATABASE_URL);
  });

  it('When DATABASE_URL is missing, then even a one-off command refuses to guess localhost', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL must be set in production/,
    );
  });
});
