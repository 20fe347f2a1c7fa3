import { describe, expect, it } from 'vitest';
import { loadConfig, loadJwtSecret } from '../../src/config.ts';
import { availableCpus } from '../../src/reports/available-cpus.ts';

describe('loadConfig', () => {
  it('When nothing is set, then port 3000 and the Vite dev server as the only CORS origin', () => {
    const config = loadConfig({});

    expect(config.port).toBe(3000);
    expect(config.corsOrigins).toEqual(['http://localhost:5173']);
  });

  it('When CORS_ORIGINS is a comma list, then each origin is trimmed and empty ones dropped', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://app.example, http://localhost:5173,' });

    expect(config.corsOrigins).toEqual(['https://app.example', 'http://localhost:5173']);
  });

  it.each(['abc', '70000', '3.5'])('When PORT is %s, then loading fails loudly', (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow(/PORT/);
  });

  it('When no database is named, then the docker-compose Postgres with a pool of 10', () => {
    const config = loadConfig({});

    expect(config.databaseUrl).toBe('postgres://postgres:postgres@localhost:5432/backend_path');
    expect(config.databasePoolMax).toBe(10);
  });

  it('When DATABASE_URL and DATABASE_POOL_MAX are set, then they are used', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db.internal/x', DATABASE_POOL_MAX: '4' });

    expect(config).toMatchObject({ databaseUrl: 'postgres://db.internal/x', databasePoolMax: 4 });
  });

  it.each(['0', '-1', 'ten'])('When DATABASE_POOL_MAX is %s, then loading fails loudly', (max) => {
    expect(() => loadConfig({ DATABASE_POOL_MAX: max })).toThrow(/DATABASE_POOL_MAX/);
  });

  it('When report limits are not set, then one worker per CPU and a queue of 8; when set, then used', () => {
    expect(loadConfig({})).toMatchObject({
      reportWorkers: availableCpus(),
      reportQueueLength: 8,
    });
    expect(loadConfig({ REPORT_WORKERS: '1', REPORT_QUEUE_LENGTH: '20' })).toMatchObject({
      reportWorkers: 1,
      reportQueueLength: 20,
    });
    expect(() => loadConfig({ REPORT_WORKERS: '0' })).toThrow(/REPORT_WORKERS/);
  });
});

describe('loadJwtSecret', () => {
  it.each([
    ['not set', undefined],
    ['empty', ''],
    ['31 characters', 'x'.repeat(31)],
  ])(
    'When JWT_SECRET is %s, then loading fails naming the variable, never its value',
    (_case, value) => {
      const load = () => loadJwtSecret(value === undefined ? {} : { JWT_SECRET: value });

      expect(load).toThrow(/JWT_SECRET must be set to at least 32/);
      if (value) expect(load).not.toThrow(value);
    },
  );

  it('When JWT_SECRET has 32 characters, then it is the secret', () => {
    expect(loadJwtSecret({ JWT_SECRET: 's'.repeat(32) })).toBe('s'.repeat(32));
  });
});

describe('auth settings', () => {
  it('When nothing is set, then bcrypt cost 12 and 15-minute tokens with an issuer and audience', () => {
    const config = loadConfig({});

    expect(config.bcryptCost).toBe(12);
    expect(config.token).toEqual({
      ttlSeconds: 900,
      issuer: 'backend-path',
      audience: 'backend-path-api',
    });
  });

  it.each(['3', '16', 'twelve'])('When BCRYPT_COST is %s, then loading fails loudly', (cost) => {
    expect(() => loadConfig({ BCRYPT_COST: cost })).toThrow(/BCRYPT_COST/);
  });

  it('When BCRYPT_COST is 4 (the tests’ minimum), then it is used', () => {
    expect(loadConfig({ BCRYPT_COST: '4' }).bcryptCost).toBe(4);
  });
});
