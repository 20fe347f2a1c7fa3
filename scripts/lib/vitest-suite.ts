import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { lines } from './ordered-output.ts';
import { formatTable, useColor } from './output.ts';

export interface Suite {
  label: string;
  dir: string;
}

export interface SuiteResult {
  label: string;
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  /** why a row failed when no test did (crash, no tests) */
  note?: string;
}

type Counts = Omit<SuiteResult, 'label' | 'seconds'>;

/** The subset of vitest's JSON reporter we read. */
export interface VitestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { status: string; message: string; name: string }[];
}

/** The package's own vitest (its devDependency), else the root's. */
export function vitestEntry(dir: string, root: string): string {
  for (const from of [dir, root]) {
    try {
      const manifest = createRequire(join(from, 'package.json')).resolve('vitest/package.json');
      return join(dirname(manifest), 'vitest.mjs');
    } catch {
      // not installed there: try the next place
    }
  }
  throw new Error(`vitest is not installed for ${dir}: run \`pnpm install\` first.`);
}

/**
 * `vitest run` in the suite's folder with the default reporter (streamed through `write`) plus the
 * JSON reporter into a temp file, which is where the counts come from: parsing the human output
 * would break on the next vitest release.
 */
export async function runSuite(
  suite: Suite,
  root: string,
  extraArgs: string[],
  write: (chunk: string | Buffer) => void,
  options: { env?: NodeJS.ProcessEnv; color?: boolean } = {},
): Promise<SuiteResult> {
  const env = options.env ?? process.env;
  const started = performance.now();
  const outDir = mkdtempSync(join(tmpdir(), 'backend-path-test-'));
  const jsonFile = join(outDir, 'report.json');
  let tail = '';
  const result = (counts: Counts): SuiteResult => ({
    label: suite.label,
    ...counts,
    seconds: (performance.now() - started) / 1000,
  });
  try {
    const entry = vitestEntry(suite.dir, root);
    const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`];
    // vitest colors even into a pipe; follow our own terminal instead (plain text in CI logs)
    const colors = (options.color ?? useColor(env)) ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' };
    const child = spawn(process.execPath, [entry, ...args, ...extraArgs], {
      cwd: suite.dir,
      env: { ...env, ...colors },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (text: string) => {
      // the report's temp path is deleted below: showing it would only confuse
      if (!/JSON report written to/.test(text)) write(text);
      tail = (tail + text).slice(-4000);
    };
    const stdout = lines(collect);
    const stderr = lines(collect);
    child.stdout.on('data', stdout.push);
    child.stderr.on('data', stderr.push);
    const code = await new Promise<number>((resolve) => {
      child.once('error', () => resolve(1));
      child.once('close', (exitCode) => resolve(exitCode ?? 1));
    });
    stdout.end();
    stderr.end();
    const report = existsSync(jsonFile)
      ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as VitestJson)
      : null;
    return result(interpret(report, code, tail, suite.dir));
  } catch (error: unknown) {
    const note = error instanceof Error ? error.message : String(error);
    return result({ tests: 0, passed: 0, failed: 1, skipped: 0, note });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * The row for one suite. A suite that ran no test, crashed, or broke outside any single test (a file
 * that fails to import, an unhandled error) counts one failure, with a note saying which.
 * `tail` is the end of what vitest printed; scripts/test/fixtures/vitest holds recorded cases.
 */
export function interpret(
  report: VitestJson | null,
  code: number,
  tail: string,
  dir: string,
): Counts {
  const none = { tests: 0, passed: 0, failed: 1, skipped: 0 };
  const noFiles = /No test files found/.test(tail);
  if (!report) {
    const note = noFiles
      ? 'no test files found'
      : `vitest exited with code ${code} without a report (crashed?)`;
    return { ...none, note };
  }
  const counts = {
    tests: report.numTotalTests,
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numTotalTests - report.numPassedTests - report.numFailedTests,
  };
  const broken = report.testResults.find((file) => file.status === 'failed' && file.message);
  if (counts.failed === 0 && broken) {
    const note = `${relative(dir, broken.name)}: ${broken.message.split('\n')[0]}`;
    return { ...counts, failed: 1, note };
  }
  if (counts.tests === 0) {
    return { ...counts, failed: 1, note: noFiles ? 'no test files found' : 'ran no tests' };
  }
  if (counts.failed === 0 && code !== 0) {
    return { ...counts, failed: 1, note: `vitest exited with code ${code}` };
  }
  return counts;
}

/** How the suites ran: the Node that ran them (every vitest is started with process.execPath). */
export interface RunInfo {
  node: string;
  execPath: string;
  /** suites run at once (--jobs) */
  jobs: number;
  /** the whole run, wall clock */
  seconds: number;
}

/**
 * The table, the Node that ran it and the run's wall time, a line counting skipped tests if any,
 * and the closing line CI reads: plain text, exactly "N passed, N failed", alone, last.
 */
export function summarize(results: SuiteResult[], run?: RunInfo): { text: string; failed: number } {
  const rows = results.map((r) => [
    r.label,
    String(r.tests),
    String(r.passed),
    String(r.failed),
    r.seconds.toFixed(1),
    r.note ?? '',
  ]);
  const sum = (key: 'passed' | 'failed' | 'skipped') =>
    results.reduce((total, result) => total + result[key], 0);
  const table = formatTable(['stage', 'tests', 'passed', 'failed', 'seconds', 'note'], rows);
  const skipped = sum('skipped');
  const lines = [`\n${table}\n`];
  if (run) {
    const atOnce = run.jobs === 1 ? 'one suite' : `${run.jobs} suites`;
    const wall = `${run.seconds.toFixed(1)} s in all`;
    lines.push(`node ${run.node} (${run.execPath}), ${atOnce} at a time, ${wall}`);
  }
  if (skipped > 0) lines.push(`${skipped} skipped (each suite says why above)`);
  lines.push(`${sum('passed')} passed, ${sum('failed')} failed`);
  return { text: `${lines.join('\n')}\n`, failed: sum('failed') };
}
