import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface Cli {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** what came after `--`, for the tool we wrap (`pnpm test -- --bail 1`) */
  passThrough: string[];
  root: string;
}

/** The repo these scripts live in; `--root` or BACKEND_PATH_ROOT point them at another tree (tests do). */
export function defaultRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** parseArgs plus what every root command shares: `--help`, `--root <dir>` and `--`. */
export function parseCli(argv: string[], spec: { usage: string; options: Options }): Cli {
  const dashDash = argv.indexOf('--');
  const own = dashDash === -1 ? argv : argv.slice(0, dashDash);
  const passThrough = dashDash === -1 ? [] : argv.slice(dashDash + 1);
  const options: ParseArgsConfig['options'] = {
    ...spec.options,
    help: { type: 'boolean', short: 'h' },
    root: { type: 'string' },
  };
  let parsed: { values: Cli['values']; positionals: string[] };
  try {
    parsed = parseArgs({
      args: own,
      options,
      allowPositionals: true,
      strict: true,
    }) as typeof parsed;
  } catch (error: unknown) {
    fail(error instanceof Error ? error.message : String(error), spec.usage);
  }
  if (parsed.values.help) {
    process.stdout.write(`${spec.usage.trim()}\n`);
    process.exit(0);
  }
  const rootArg = typeof parsed.values.root === 'string' ? parsed.values.root : undefined;
  const root = resolve(rootArg ?? process.env.BACKEND_PATH_ROOT ?? defaultRoot());
  return { values: parsed.values, positionals: parsed.positionals, passThrough, root };
}

/** Prints a usage problem and exits 2 (the shell convention for "you called me wrong"). */
export function fail(message: string, usage?: string): never {
  process.stderr.write(`${message}\n`);
  if (usage) process.stderr.write(`\n${usage.trim()}\n`);
  process.exit(2);
}
