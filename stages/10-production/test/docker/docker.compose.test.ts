import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadServerConfig } from '../../src/config.ts';

// docker-compose.yml, read as data: no Docker daemon runs here, so its invariants are checked on
// the file (what the services wait for, where secrets come from). `merge`: the file shares the
// image and build between app and migrate with a YAML anchor (`<<: *image`).
const TEXT = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  restart?: string;
  environment?: Record<string, string>;
  env_file?: unknown;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  read_only?: boolean;
}
const { services } = parse(TEXT, { merge: true }) as { services: Record<string, Service> };
// `api`: the three replicas (deploy.test.ts checks their count, nginx and the shutdown timing).
const { api: app, migrate, postgres, redis } = services as Record<string, Service>;

describe('docker-compose.yml', () => {
  it('When Postgres and Redis start, then each has a health check the others can wait for', () => {
    for (const service of [postgres, redis]) {
      expect(service?.healthcheck?.test[0]).toBe('CMD');
      expect(service?.image).toMatch(/:\d+\.\d+/);
    }
  });

  it('When the stack starts, then migrate runs once after Postgres is healthy, with the app image', () => {
    expect(migrate?.command).toEqual(['node', 'dist/db/migrate.js']);
    expect(migrate?.restart).toBe('no');
    expect(migrate?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(migrate?.image).toBe(app?.image);
    expect(migrate?.build).toEqual(app?.build);
  });

  it('When the app starts, then only after the migration completed and Postgres and Redis are healthy', () => {
    expect(app?.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(app?.command).toBeUndefined();
    expect(app?.read_only).toBe(true);
  });

  it('When the image is built, then from the workspace root with this stage’s Dockerfile', () => {
    const context = new URL(`../../${app?.build?.context}/`, import.meta.url);

    expect(existsSync(new URL(app?.build?.dockerfile ?? '-', context))).toBe(true);
    expect(existsSync(new URL('pnpm-lock.yaml', context))).toBe(true);
  });

  it('When the app runs, then in production mode with every value production requires', () => {
    expect(app?.environment).toMatchObject({ NODE_ENV: 'production' });
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'CORS_ORIGINS', 'JWT_SECRET']) {
      expect(app?.environment?.[name]).toBeTruthy();
    }
  });

  it('When the variables compose requires are given, then the app’s environment passes production’s checks, Redis being the redis service', () => {
    // What `docker compose up` hands the app once ${NAME:?…} are filled in from the shell.
    const filled = Object.fromEntries(
      Object.entries(app?.environment ?? {}).map(([name, value]) => [
        name,
        value.replace(/\$\{([A-Z_]+):\?[^}]*\}/g, (_match, variable: string) =>
          variable === 'CORS_ORIGINS'
            ? 'https://app.example'
            : randomBytes(32).toString('base64url'),
        ),
      ]),
    );

    expect(() => loadServerConfig(filled)).not.toThrow();
    expect(new URL(filled.REDIS_URL ?? '').hostname).toBe('redis');
  });

  it('When a secret is needed, then it comes from the environment, required, with no default', () => {
    const secrets = [
      app?.environment?.JWT_SECRET,
      postgres?.environment?.POSTGRES_PASSWORD,
      app?.environment?.DATABASE_URL,
      migrate?.environment?.DATABASE_URL,
    ];

    for (const value of secrets) expect(value).toMatch(/\$\{(JWT_SECRET|POSTGRES_PASSWORD):\?/);
    expect(TEXT).not.toMatch(/\$\{[A-Z_]*(SECRET|PASSWORD)[A-Z_]*:?-/);
    expect(Object.values(services).filter((service) => service.env_file)).toEqual([]);
  });
});
