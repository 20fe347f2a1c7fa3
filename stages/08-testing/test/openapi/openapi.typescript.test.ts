import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/helpers.ts';

// What a frontend does with the contract: generate types from the SERVED document, then let the
// compiler check its client against them. The client is test/support/fixtures/openapi-client.mts.
const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(STAGE_DIR, 'test/support/fixtures');
// The stage's TypeScript, run by the Node that runs the tests (node_modules/.bin/tsc would run
// whichever `node` comes first on PATH).
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const BASE_TSCONFIG = join(STAGE_DIR, '../../tsconfig.base.json');
let server: Server;
let dir: string;

/** The clients tsc checks: the fixture as it is, and each case below's broken copy. */
const BROKEN: [what: string, right: string, wrong: string, named: RegExp][] = [
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
];
const brokenFile = (index: number) => `openapi-client.broken-${index + 1}.mts`;
let client: string;
/** What tsc said, one entry per diagnostic (its continuation lines included). */
let diagnostics: string[];

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
  client = await readFile(join(FIXTURES, 'openapi-client.mts'), 'utf8');
  await writeFile(join(dir, 'openapi-client.mts'), client);
  for (const [index, [, right, wrong]] of BROKEN.entries()) {
    await writeFile(join(dir, brokenFile(index)), client.replace(right, wrong));
  }
  // One tsc for all four clients: each is a module of its own, so an error in one says nothing
  // about another, and the types they share are read and checked once instead of four times.
  const files = ['openapi-client.mts', ...BROKEN.map((_, index) => brokenFile(index))];
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ extends: BASE_TSCONFIG, files }));
  diagnostics = (await typeCheck()).split(/\n(?=\S)/).filter((text) => text.trim() !== '');
}, 60_000);

afterAll(async () => {
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** tsc on the clients beside the generated types: what it printed. */
async function typeCheck(): Promise<string> {
  try {
    await promisify(execFile)(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], {
      cwd: dir,
    });
    return '';
  } catch (error) {
    const { code, stdout } = error as { code: number; stdout: string };
    // tsc exits 1 or 2 with errors; anything else (no exit code: it could not run) is no answer.
    if (code !== 1 && code !== 2) throw error;
    return stdout;
  }
}

/** The diagnostics tsc gave for `file`. */
const diagnosticsOf = (file: string) => diagnostics.filter((text) => text.startsWith(`${file}(`));

describe('openapi-typescript on GET /api/v1/openapi.json', () => {
  it('When the client logs in, lists and creates tickets as the types say, then tsc accepts it', () => {
    // Every diagnostic belongs to a broken copy: none to the client, the types or the config.
    const elsewhere = diagnostics.filter(
      (text) => !BROKEN.some((_, index) => text.startsWith(`${brokenFile(index)}(`)),
    );

    expect(elsewhere).toEqual([]);
    expect(diagnosticsOf('openapi-client.mts')).toEqual([]);
  });

  it.each(BROKEN.map(([what, right, , named], index) => [what, right, named, index] as const))(
    'When the client %s, then tsc rejects it',
    (_what, right, named, index) => {
      expect(client).toContain(right);

      const errors = diagnosticsOf(brokenFile(index));

      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]).toMatch(/^openapi-client\.broken-\d\.mts\(\d+,\d+\): error TS\d+/);
      expect(errors.join('\n')).toMatch(named);
    },
  );
});
