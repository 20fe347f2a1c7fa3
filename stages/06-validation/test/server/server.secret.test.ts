import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/db-helpers.ts';

const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const SHORT_SECRET = 'only-twenty-six-characters';

/** Runs src/server.ts as `pnpm start` would, and waits for it to exit. */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: STAGE_DIR,
    env: { ...process.env, JWT_SECRET: '', ...env, PORT: '0', DATABASE_URL: testDatabaseUrl() },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('src/server.ts without a proper JWT_SECRET', () => {
  it('When JWT_SECRET is not set, then the server refuses to start and names the variable', async () => {
    const { code, output } = await start({});

    expect(code).not.toBe(0);
    expect(output).toContain('JWT_SECRET must be set to at least 32');
    expect(output).not.toContain('listening');
  }, 30_000);

  it('When JWT_SECRET is too short, then the server refuses to start and never prints the value', async () => {
    const { code, output } = await start({ JWT_SECRET: SHORT_SECRET });

    expect(code).not.toBe(0);
    expect(output).toContain('JWT_SECRET');
    expect(output).not.toContain(SHORT_SECRET);
  }, 30_000);
});
