import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real src/server.ts in a process of its own, given a bad environment: the boot must stop
// before anything starts, with every problem listed and exit code 1.
const SERVER = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
// Resolved here, so that the server can run from any working directory (a .env's folder).
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const SHORT_SECRET = 'short-secret-never-printed';

function start(cwd: string, env: Record<string, string>) {
  // Only what the test names: a developer's own variables must not leak into the case.
  const child = spawn(process.execPath, ['--import', TSX, SERVER], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
}

const dotEnvDir = mkdtempSync(join(tmpdir(), 'stage-09-dotenv-'));
writeFileSync(join(dotEnvDir, '.env'), 'PORT=not-a-port\n');
afterAll(() => rmSync(dotEnvDir, { recursive: true, force: true }));

// Each case's server, all four started at once: each exits as soon as it has read its
// configuration, and nothing else is shared. Each test reads its own.
type Case = 'fourWrong' | 'production' | 'dotEnvDevelopment' | 'dotEnvProduction';
let runs: Record<Case, ReturnType<typeof start>>;
beforeAll(() => {
  runs = {
    fourWrong: start(tmpdir(), {
      NODE_ENV: 'test',
      PORT: '70000',
      DATABASE_POOL_MAX: '0',
      ACCESS_LOG: 'maybe',
      JWT_SECRET: SHORT_SECRET,
    }),
    production: start(tmpdir(), { NODE_ENV: 'production' }),
    dotEnvDevelopment: start(dotEnvDir, { NODE_ENV: 'development' }),
    dotEnvProduction: start(dotEnvDir, { NODE_ENV: 'production' }),
  };
});

describe('src/server.ts with a bad configuration', () => {
  it('When four variables are wrong, then it exits 1 listing all four on stderr, no value, no stack trace', async () => {
    const { code, stdout, stderr } = await runs.fourWrong;

    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration (4 problems)');
    for (const name of ['PORT', 'DATABASE_POOL_MAX', 'ACCESS_LOG', 'JWT_SECRET']) {
      expect(stderr).toMatch(new RegExp(`^  - ${name} must`, 'm'));
    }
    expect(stderr).not.toContain(SHORT_SECRET);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).not.toContain('listening');
  }, 30_000);

  it('When NODE_ENV=production and nothing else, then it refuses the development defaults', async () => {
    const { code, stderr } = await runs.production;

    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL must be set in production');
    expect(stderr).toContain('CORS_ORIGINS must be set in production');
    expect(stderr).toContain('REDIS_URL must be set in production');
    expect(stderr).toContain('JWT_SECRET must be set');
  }, 30_000);
});

describe('the .env file', () => {
  it('When NODE_ENV is development, then .env is read (its bad PORT stops the boot)', async () => {
    const { code, stderr } = await runs.dotEnvDevelopment;

    expect(code).toBe(1);
    expect(stderr).toContain('PORT must be a whole number');
  }, 30_000);

  it('When NODE_ENV is production, then .env is not read at all (its PORT is not among the problems)', async () => {
    const { code, stderr } = await runs.dotEnvProduction;

    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL must be set in production');
    expect(stderr).not.toContain('PORT');
  }, 30_000);
});
