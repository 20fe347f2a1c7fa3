import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `prisma generate`, offline and only when needed. pnpm install runs it (postinstall), the test
// setup and DATA_LAYER=prisma run it again, and it returns in a millisecond when the generated
// client already matches prisma/schema.prisma and the installed Prisma version.
const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const SCHEMA = join(STAGE_DIR, 'prisma/schema.prisma');
const OUTPUT = join(STAGE_DIR, 'src/db/generated/prisma');
const STAMP = join(OUTPUT, '.schema-hash');

// LESSON: every Prisma CLI command first downloads a native "schema engine" from Prisma's own
// server, even `generate`, which never runs it. Pointing PRISMA_SCHEMA_ENGINE_BINARY at a file
// that exists skips the download: generate works offline (and in CI without that host). Only
// `prisma migrate` / `prisma db` need the real engine, and migrations/*.sql own our schema.
const NO_ENGINE = join(STAGE_DIR, 'scripts/no-schema-engine.sh');

function prismaCli(): { bin: string; version: string } {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('prisma/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    version: string;
    bin: { prisma: string };
  };
  return { bin: join(dirname(manifestPath), manifest.bin.prisma), version: manifest.version };
}

function fingerprint(version: string): string {
  return createHash('sha256').update(version).update(readFileSync(SCHEMA)).digest('hex');
}

/** Generates the client unless it is up to date; returns true when it ran `prisma generate`. */
export function ensurePrismaClient(options: { force?: boolean; quiet?: boolean } = {}): boolean {
  const { bin, version } = prismaCli();
  const hash = fingerprint(version);
  if (!options.force && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return false;
  const result = spawnSync(process.execPath, [bin, 'generate'], {
    cwd: STAGE_DIR,
    stdio: options.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    // The child needs our environment plus two switches: no engine download, no update check.
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: NO_ENGINE, CHECKPOINT_DISABLE: '1' },
  });
  if (result.status !== 0) {
    const output = options.quiet ? `\n${result.stdout}${result.stderr}` : '';
    throw new Error(`prisma generate failed (exit code ${result.status})${output}`);
  }
  writeFileSync(STAMP, hash);
  return true;
}

// `pnpm prisma:generate` (--force: always), postinstall and typecheck (--quiet: only when the
// schema changed, and silently).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quiet = process.argv.includes('--quiet');
  const ran = ensurePrismaClient({ force: process.argv.includes('--force'), quiet });
  if (!ran && !quiet) console.log('Prisma client is up to date (src/db/generated/prisma).');
}
