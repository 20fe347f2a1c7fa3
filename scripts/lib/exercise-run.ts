import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type Exercise, namePattern, type TestOutcome, testFiles } from './exercises.ts';
import { lines } from './ordered-output.ts';
import { vitestEntry } from './vitest-suite.ts';

/** The subset of vitest's JSON report we read: every test with its file and status. */
interface Report {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string }[];
  }[];
}

export interface CatcherRun {
  outcomes: TestOutcome[];
  /** a test file that failed outside any test (did not import, crashed) */
  brokenFiles: { file: string; message: string }[];
  /** the end of what vitest printed, for a report when something unexpected happened */
  tail: string;
  seconds: number;
}

/**
 * Runs only the tests an exercise names (their files, `-t` their names) in the stage's own vitest,
 * streaming vitest's output through `write` (or nowhere), and returns each test's outcome.
 */
export async function runCatchers(
  stageDir: string,
  root: string,
  exercise: Exercise,
  write: ((chunk: string) => void) | null,
  env: NodeJS.ProcessEnv,
): Promise<CatcherRun> {
  const started = performance.now();
  const outDir = mkdtempSync(join(tmpdir(), 'backend-path-exercise-'));
  const jsonFile = join(outDir, 'report.json');
  let tail = '';
  try {
    const args = [
      vitestEntry(stageDir, root),
      'run',
      ...testFiles(exercise),
      '-t',
      namePattern(exercise),
      '--reporter=default',
      // the tests -t filtered out are noise here: show only the ones that must catch the break
      '--hideSkippedTests',
      '--reporter=json',
      `--outputFile.json=${jsonFile}`,
    ];
    const child = spawn(process.execPath, args, {
      cwd: stageDir,
      env: { ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (text: string) => {
      if (/JSON report written to/.test(text)) return;
      write?.(text);
      tail = (tail + text).slice(-6000);
    };
    const stdout = lines(collect);
    const stderr = lines(collect);
    child.stdout.on('data', stdout.push);
    child.stderr.on('data', stderr.push);
    await new Promise<void>((resolve) => {
      child.once('error', () => resolve());
      child.once('close', () => resolve());
    });
    stdout.end();
    stderr.end();
    const report = existsSync(jsonFile)
      ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as Report)
      : { testResults: [] };
    const outcomes: TestOutcome[] = [];
    const brokenFiles: CatcherRun['brokenFiles'] = [];
    for (const file of report.testResults) {
      const rel = relative(stageDir, file.name);
      if (file.assertionResults.length === 0 && file.status === 'failed') {
        brokenFiles.push({ file: rel, message: (file.message ?? '').split('\n')[0] ?? '' });
      }
      for (const test of file.assertionResults) {
        outcomes.push({ file: rel, fullName: test.fullName, status: test.status });
      }
    }
    return { outcomes, brokenFiles, tail, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
