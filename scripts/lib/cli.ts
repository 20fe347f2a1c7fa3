import { realpathSync } from 'node:fs';
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

/**
 * What a command reads and writes besides its arguments: the process's own when a user runs it,
 * a test's when the scripts' tests call `main` in their own process (no node + tsx to start).
 */
export interface Io {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown };
  env: NodeJS.ProcessEnv;
}

/** A root command: its arguments in, its exit code out. */
export type Command = (argv: string[], io: Io) => Promise<number>;

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Ends a command early with an exit code (`--help`, a usage problem), after printing `text`. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    readonly text = '',
    readonly stream: 'stdout' | 'stderr' = 'stderr',
  ) {
    super(text || `exit ${code}`);
  }
}

/** The command's exit code, an early exit (CliExit) included. */
export async function runCommand(command: Command, argv: string[], io: Io): Promise<number> {
  try {
    return await command(argv, io);
  } catch (error: unknown) {
    if (!(error instanceof CliExit)) throw error;
    if (error.text) io[error.stream].write(error.text);
    return error.code;
  }
}

/**
 * The last line of every scripts/*.ts: when node runs that file (`tsx scripts/x.ts`,
 * `node --import tsx scripts/x.ts`), run its command and exit with its code; when a test imports
 * it, do nothing. `exit`: exit at once rather than when the event loop empties.
 */
export async function runAsProgram(
  moduleUrl: string,
  command: Command,
  options: { exit?: boolean } = {},
): Promise<void> {
  if (!isEntryPoint(moduleUrl)) return;
  const code = await runCommand(command, process.argv.slice(2), processIo());
  if (options.exit) process.exit(code);
  process.exitCode = code;
}

function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** The repo these scripts live in; `--root` or BACKEND_PATH_ROOT point them at another tree (tests do). */
export function defaultRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** parseArgs plus what every root command shares: `--help`, `--root <dir>` and `--`. */
export function parseCli(
  argv: string[],
  spec: { usage: string; options: Options },
  env: NodeJS.ProcessEnv,
): Cli {
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
  if (parsed.values.help) throw new CliExit(0, `${spec.usage.trim()}\n`, 'stdout');
  const rootArg = typeof parsed.values.root === 'string' ? parsed.values.root : undefined;
  const root = resolve(rootArg ?? env.BACKEND_PATH_ROOT ?? defaultRoot());
  return { values: parsed.values, positionals: parsed.positionals, passThrough, root };
}

/** A usage problem: exit 2 (the shell convention for "you called me wrong") with the reason. */
export function fail(message: string, usage?: string): never {
  throw new CliExit(2, `${message}\n${usage ? `\n${usage.trim()}\n` : ''}`);
}
