import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { mapLimit, orderedOutput } from '../lib/ordered-output.ts';
import { interpret, type SuiteResult, summarize, type VitestJson } from '../lib/vitest-suite.ts';
import { main } from '../test.ts';
import { createFakeRepo, FAILING_TEST } from './helpers/fake-repo.ts';
import { replayingVitest } from './helpers/replay-vitest.ts';
import { lastLine, runMain, runScript } from './helpers/run-script.ts';

// What vitest really printed and reported for each case, recorded once
// (helpers/record-vitest-fixtures.ts): reading them costs nothing, running vitest costs seconds.
interface Recorded {
  folder: string;
  code: number;
  tail: string;
  report: VitestJson | null;
}
function recorded(name: string): Recorded {
  const url = new URL(`./fixtures/vitest/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Recorded;
}
function interpretRecorded(name: string) {
  const { folder, code, tail, report } = recorded(name);
  return interpret(report, code, tail, `/fake/stages/${folder}`);
}

// Stages whose vitest replays a recorded run (helpers/replay-vitest.ts): `pnpm test`'s own work,
// its child processes included, in milliseconds.
const replayed = createFakeRepo([
  { folder: '01-passes', linkNodeModules: false, files: replayingVitest('passes') },
  { folder: '02-fails', linkNodeModules: false, files: replayingVitest('fails') },
]);
const replayedFilter = createFakeRepo([
  { folder: '01-passes', linkNodeModules: false, files: replayingVitest('passes') },
  { folder: '02-fails', linkNodeModules: false, files: replayingVitest('filtered') },
]);
// A stage with a real test, for the one real nested vitest run.
const realFailing = createFakeRepo([
  { folder: '02-fails', files: { 'test/math.test.ts': FAILING_TEST } },
]);
afterAll(() => {
  for (const repo of [replayed, replayedFilter, realFailing]) repo.cleanup();
});

function row(output: string, stage: string): string[] {
  const line = output.split('\n').find((l) => l.startsWith(`${stage} `)) ?? '';
  return line.trim().split(/\s{2,}/);
}

describe('reading a suite’s vitest run (recorded runs)', () => {
  it('When every test passes, then the row counts them and carries no note', () => {
    expect(interpretRecorded('passes')).toEqual({ tests: 1, passed: 1, failed: 0, skipped: 0 });
  });

  it('When a test fails, then the row counts it as failed', () => {
    expect(interpretRecorded('fails')).toEqual({ tests: 1, passed: 0, failed: 1, skipped: 0 });
  });

  it('When a stage has no tests, then its row counts as a failure and says why', () => {
    expect(interpretRecorded('no-tests')).toEqual({
      tests: 0,
      passed: 0,
      failed: 1,
      skipped: 0,
      note: 'no test files found',
    });
  });

  it('When a test file crashes while loading, then its row counts as a failure and names the file and error', () => {
    const counts = interpretRecorded('crashes');

    expect(counts).toMatchObject({ tests: 0, passed: 0, failed: 1 });
    expect(counts.note).toBe('test/broken.test.ts: this test file cannot even load');
  });

  it('When a name filter matches nothing, then nothing failed and the test counts as skipped', () => {
    expect(interpretRecorded('filtered')).toEqual({ tests: 1, passed: 0, failed: 0, skipped: 1 });
  });

  it('When vitest exits non-zero with every test passed, then the row counts one failure saying so', () => {
    const { report, tail } = recorded('passes');

    expect(interpret(report, 1, tail, '/fake/stages/01-passes')).toMatchObject({
      failed: 1,
      note: 'vitest exited with code 1',
    });
  });

  it('When vitest dies without writing a report, then the row counts one failure saying it crashed', () => {
    expect(interpret(null, 134, 'Aborted\n', '/fake')).toEqual({
      tests: 0,
      passed: 0,
      failed: 1,
      skipped: 0,
      note: 'vitest exited with code 134 without a report (crashed?)',
    });
  });
});

describe('the summary', () => {
  const result = (label: string, counts: Partial<SuiteResult>): SuiteResult => ({
    label,
    tests: 1,
    passed: 1,
    failed: 0,
    skipped: 0,
    seconds: 1.25,
    ...counts,
  });

  it('When suites pass, fail and skip, then a table, the skipped line, and last exactly "N passed, N failed"', () => {
    const { text, failed } = summarize([
      result('shared', { tests: 3, passed: 2, skipped: 1 }),
      result('01-raw-http', { passed: 0, failed: 1, note: 'vitest exited with code 1' }),
    ]);
    const lines = text.trimEnd().split('\n');

    expect(failed).toBe(1);
    expect(lines.at(-1)).toBe('2 passed, 1 failed');
    expect(lines.at(-2)).toBe('1 skipped (each suite says why above)');
    expect(text).toMatch(/stage\s+tests\s+passed\s+failed\s+seconds\s+note/);
    expect(row(text, 'shared')).toEqual(['shared', '3', '2', '0', '1.3']);
    expect(row(text, '01-raw-http').at(-1)).toBe('vitest exited with code 1');
  });

  it('When the run is described, then a line under the table names its Node, its jobs and its wall time', () => {
    const { text } = summarize([result('shared', {})], {
      node: 'v24.22.3',
      execPath: '/opt/node/bin/node',
      jobs: 2,
      seconds: 183.44,
    });
    const lines = text.trimEnd().split('\n');

    expect(lines.at(-2)).toBe(
      'node v24.22.3 (/opt/node/bin/node), 2 suites at a time, 183.4 s in all',
    );
    expect(lines.at(-1)).toBe('1 passed, 0 failed');
  });

  it('When nothing was skipped, then there is no skipped line', () => {
    const { text } = summarize([result('shared', {})]);

    expect(text).not.toContain('skipped');
    expect(lastLine(text)).toBe('1 passed, 0 failed');
  });
});

describe('suites two at a time', () => {
  it('When later jobs finish first, then output still reads job by job, in order, and results keep their order', async () => {
    const seen: string[] = [];
    const output = orderedOutput(3, (chunk) => seen.push(String(chunk)));
    const delays = [30, 0, 10];

    const results = await mapLimit([0, 1, 2], 2, async (job) => {
      output.write(job, `${job}a `);
      await new Promise((resolve) => setTimeout(resolve, delays[job]));
      output.write(job, `${job}b `);
      output.done(job);
      return job * 10;
    });

    expect(seen.join('')).toBe('0a 0b 1a 1b 2a 2b ');
    expect(results).toEqual([0, 10, 20]);
  });
});

describe.concurrent('pnpm test [n]', () => {
  // End to end, as a user runs it: the command in a process of its own, and a real vitest in the
  // stage. The other cases call the command's main in this process, over replayed vitest runs.
  it('When a stage’s real vitest fails a test, then its output streams through, its row counts it and the exit code is 1', async () => {
    const run = await runScript('test', ['--root', realFailing.root]);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('━━ 02-fails (vitest in stages/02-fails)\n');
    // vitest's own output is streamed, not swallowed
    expect(run.stdout).toContain('When 1 + 1 is computed, then it is 3 (wrong on purpose)');
    expect(run.stdout).toContain('expected 2 to be 3');
    // …and the temp path of its JSON report, which is deleted, is not shown
    expect(run.stdout).not.toContain('JSON report written');
    expect(row(run.stdout, '02-fails').slice(0, 4)).toEqual(['02-fails', '1', '0', '1']);
    expect(lastLine(run.stdout)).toBe('0 passed, 1 failed');
  });

  it('When one stage passes and one fails, then the last line is "1 passed, 1 failed" and the exit code is 1', async () => {
    const run = await runMain(main, ['--root', replayed.root]);
    const headers = run.stdout.split('\n').filter((line) => line.startsWith('━━ '));

    expect(run.code).toBe(1);
    expect(lastLine(run.stdout)).toBe('1 passed, 1 failed');
    // the Node that ran the suites (this process's: vitest is started with process.execPath)
    expect(run.stdout).toContain(
      `node ${process.version} (${process.execPath}), 2 suites at a time, `,
    );
    expect(row(run.stdout, '01-passes').slice(0, 4)).toEqual(['01-passes', '1', '1', '0']);
    expect(row(run.stdout, '02-fails').slice(0, 4)).toEqual(['02-fails', '1', '0', '1']);
    // the fake repo has neither shared/ nor a root vitest.config.ts: no such rows
    expect(run.stdout).not.toMatch(/^(shared|scripts) /m);
    expect(headers).toEqual([
      '━━ 01-passes (vitest in stages/01-passes)',
      '━━ 02-fails (vitest in stages/02-fails)',
    ]);
    // each stage's output follows its own header, whole
    const second = run.stdout.indexOf(headers[1] ?? '');
    const firstRun = run.stdout.indexOf(' RUN  v');
    expect(firstRun).toBeGreaterThan(-1);
    expect(firstRun).toBeLessThan(second);
    expect(run.stdout.indexOf('expected 2 to be 3')).toBeGreaterThan(second);
  });

  it('When one stage is named and arguments follow --, then only it runs and vitest gets them (a name filter here)', async () => {
    // stage 02's vitest replays a run whose one test the filter skipped
    const run = await runMain(main, ['--root', replayedFilter.root, '2', '--', '-t', 'is 2']);

    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('01-passes');
    expect(run.stdout).toMatch(/^replayed vitest got: run .* -t is 2$/m);
    expect(row(run.stdout, '02-fails').slice(0, 4)).toEqual(['02-fails', '1', '0', '0']);
    expect(run.stdout).toContain('1 skipped');
    expect(lastLine(run.stdout)).toBe('0 passed, 0 failed');
  });

  it('When the stage is unknown or --help is asked, then it exits 2 or 0 with the usage', async () => {
    const unknown = await runMain(main, ['--root', replayed.root, '9']);
    const help = await runMain(main, ['--help']);

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No stage "9"');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: pnpm test [n]');
  });
});
