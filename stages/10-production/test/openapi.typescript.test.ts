import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './helpers.ts';

// What a frontend does with the contract: generate types from the SERVED document, then let the
// compiler check its client against them. The client is test/fixtures/openapi-client.mts.
const STAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(STAGE_DIR, 'test/fixtures');
// The stage's TypeScript, run by the Node that runs the tests (node_modules/.bin/tsc would run
// whichever `node` comes first on PATH).
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const BASE_TSCONFIG = join(STAGE_DIR, '../../tsconfig.base.json');
let server: Server;
let dir: string;

beforeAll(async () => {
  server = buildApp().app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  // Inside the stage (so `openapi-fetch` resolves from its node_modules), in a git-ignored
  // `generated/`, in a dot-folder: the stage's own tsc and biome do not read it.
  await mkdir(join(FIXTURES, 'generated'), { recursive: true });
  dir = await mkdtemp(join(FIXTURES, 'generated', '.openapi-'));
  const url = new URL(`http://127.0.0.1:${port}/api/v1/openapi.json`);
  // defaultNonNullable: false, or a request field with a default (priority) would be required.
  const types = astToString(await openapiTS(url, { defaultNonNullable: false }));
  await writeFile(join(dir, 'openapi.d.ts'), types);
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ extends: BASE_TSCONFIG, files: ['openapi-client.mts'] }),
  );
}, 60_000);

afterAll(async () => {
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** tsc on `client` beside the generated types: its exit code and what it printed. */
async function typeCheck(client: string) {
  await writeFile(join(dir, 'openapi-client.mts'), client);
  try {
    await promisify(execFile)(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], {
      cwd: dir,
    });
    return { code: 0, output: '' };
  } catch (error) {
    const { code, stdout } = error as { code: number; stdout: string };
    return { code, output: stdout };
  }
}

describe('openapi-typescript on GET /api/v1/openapi.json', () => {
  it('When the client logs in, lists and creates tickets as the types say, then tsc accepts it', async () => {
    const client = await readFile(join(FIXTURES, 'openapi-client.mts'), 'utf8');

    const result = await typeCheck(client);

    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  it.each([
    ['sends a field the body does not have', "subject: 'The", "title: 'The", /'title'/],
    [
      'expects an error code the route does not document',
      "=== 'BUSINESS_RULE_VIOLATION'",
      "=== 'TOO_MANY_TICKETS'",
      /TOO_MANY_TICKETS/,
    ],
    [
      'calls a path the API does not have',
      "'/api/v1/tickets', {\n    headers,\n    body",
      "'/api/v1/ticket', {\n    headers,\n    body",
      /"\/api\/v1\/ticket"' is not assignable/,
    ],
  ])(
    'When the client %s, then tsc rejects it',
    async (_what, right, wrong, named) => {
      const client = await readFile(join(FIXTURES, 'openapi-client.mts'), 'utf8');
      const broken = client.replace(right, wrong);
      expect(broken).not.toBe(client);

      const result = await typeCheck(broken);

      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(/openapi-client\.mts\(\d+,\d+\): error TS\d+/);
      expect(result.output).toMatch(named);
    },
    60_000,
  );
});
