import { afterAll, describe, expect, it } from 'vitest';
import { createFakeRepo, FAILING_TEST, PASSING_TEST } from './helpers/fake-repo.ts';
import { lastLine, runScript } from './helpers/run-script.ts';

const CRASHING_TEST = `throw new Error('this test file cannot even load');\n`;

const fake = createFakeRepo([
  { folder: '01-passes', files: { 'test/math.test.ts': PASSING_TEST } },
  { folder: '02-fails', files: { 'test/math.test.ts': FAILING_TEST } },
  { folder: '03-no-tests', files: { 'src/app.ts': 'export const app = 1;\n' } },
  { folder: '04-crashes', files: { 'test/broken.test.ts': CRASHING_TEST } },
]);
const passAndFail = createFakeRepo([
  { folder: '01-passes', files: { 'test/math.test.ts': PASSING_TEST } },
  { folder: '02-fails', files: { 'test/math.test.ts': FAILING_TEST } },
]);
afterAll(() => {
  fake.cleanup();
  passAndFail.cleanup();
});

function row(output: string, stage: string): string[] {
  const line = output.split('\n').find((l) => l.startsWith(`${stage} `)) ?? '';
  return line.trim().split(/\s{2,}/);
}

describe('pnpm test [n]', () => {
  it('When one stage passes and one fails, then the last line is "1 passed, 1 failed" and the exit code is 1', async () => {
    const run = await runScript('test', ['--root', passAndFail.root]);

    expect(run.code).toBe(1);
    expect(lastLine(run.stdout)).toBe('1 passed, 1 failed');
    expect(row(run.stdout, '01-passes').slice(0, 4)).toEqual(['01-passes', '1', '1', '0']);
    expect(row(run.stdout, '02-fails').slice(0, 4)).toEqual(['02-fails', '1', '0', '1']);
    // vitest's own output is streamed, not swallowed
    expect(run.stdout).toContain('When 1 + 1 is computed, then it is 3 (wrong on purpose)');
    expect(run.stdout).toContain('expected 2 to be 3');
  });

  it('When only the passing stage runs, then the last line is "1 passed, 0 failed" and the exit code is 0', async () => {
    const run = await runScript('test', ['--root', passAndFail.root, '01']);

    expect(run.code).toBe(0);
    expect(lastLine(run.stdout)).toBe('1 passed, 0 failed');
    expect(run.stdout).not.toContain('02-fails');
  });

  it('When a stage has no tests, then its row counts as a failure and says why', async () => {
    const run = await runScript('test', ['--root', fake.root, '03-no-tests']);

    expect(run.code).toBe(1);
    expect(row(run.stdout, '03-no-tests')).toEqual([
      '03-no-tests',
      '0',
      '0',
      '1',
      expect.any(String),
      'no test files found',
    ]);
    expect(lastLine(run.stdout)).toBe('0 passed, 1 failed');
  });

  it('When a test file crashes while loading, then its row counts as a failure and says why', async () => {
    const run = await runScript('test', ['--root', fake.root, '4']);

    expect(run.code).toBe(1);
    expect(row(run.stdout, '04-crashes').at(-1)).toContain('this test file cannot even load');
    expect(lastLine(run.stdout)).toBe('0 passed, 1 failed');
  });

  it('When arguments follow --, then vitest gets them (a name filter here) and skipped tests are counted', async () => {
    const run = await runScript('test', ['--root', fake.root, '1', '--', '-t', 'matches nothing']);

    expect(run.code).toBe(0);
    expect(lastLine(run.stdout)).toBe('0 passed, 0 failed');
    expect(run.stdout).toContain('1 skipped');
  });

  it('When every stage runs, two at a time, then rows, totals and output order match a one-at-a-time run', async () => {
    const two = await runScript('test', ['--root', fake.root]);
    const one = await runScript('test', ['--root', fake.root, '--jobs', '1']);
    const headers = (text: string) => text.split('\n').filter((line) => line.startsWith('━━ '));

    expect(two.code).toBe(1);
    expect(lastLine(two.stdout)).toBe('1 passed, 3 failed');
    expect(two.stdout).toMatch(/stage\s+tests\s+passed\s+failed\s+seconds\s+note/);
    // the fake repo has neither shared/ nor a root vitest.config.ts: no such rows
    expect(two.stdout).not.toMatch(/^(shared|scripts) /m);
    expect(headers(two.stdout)).toEqual([
      '━━ 01-passes (vitest in stages/01-passes)',
      '━━ 02-fails (vitest in stages/02-fails)',
      '━━ 03-no-tests (vitest in stages/03-no-tests)',
      '━━ 04-crashes (vitest in stages/04-crashes)',
    ]);
    expect(headers(one.stdout)).toEqual(headers(two.stdout));
    expect(lastLine(one.stdout)).toBe(lastLine(two.stdout));
    expect(one.code).toBe(1);
  });

  it('When the stage is unknown or --help is asked, then it exits 2 or 0 with the usage', async () => {
    const unknown = await runScript('test', ['--root', fake.root, '9']);
    const help = await runScript('test', ['--help']);

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No stage "9"');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: pnpm test [n]');
  });
});
