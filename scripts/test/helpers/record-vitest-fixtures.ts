// Records what vitest writes (exit code, output, JSON report) for each case that scripts/test.ts
// must read, into scripts/test/fixtures/vitest/. Re-run after a vitest upgrade, from the repo root:
//   pnpm exec tsx scripts/test/helpers/record-vitest-fixtures.ts
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeRepo, FAILING_TEST, PASSING_TEST } from './fake-repo.ts';

const fake = createFakeRepo([
  { folder: '01-passes', files: { 'test/math.test.ts': PASSING_TEST } },
  { folder: '02-fails', files: { 'test/math.test.ts': FAILING_TEST } },
  { folder: '03-no-tests', files: { 'src/app.ts': 'export const app = 1;\n' } },
  {
    folder: '04-crashes',
    files: { 'test/broken.test.ts': `throw new Error('this test file cannot even load');\n` },
  },
]);
const entry = join(process.cwd(), 'node_modules/vitest/vitest.mjs');
const cases: [string, string, string[]][] = [
  ['passes', '01-passes', []],
  ['fails', '02-fails', []],
  ['no-tests', '03-no-tests', []],
  ['crashes', '04-crashes', []],
  ['filtered', '01-passes', ['-t', 'matches nothing']],
];
for (const [name, folder, extra] of cases) {
  const dir = join(fake.root, 'stages', folder);
  const json = join(fake.root, `${name}.json`);
  const child = spawn(
    process.execPath,
    [entry, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`, ...extra],
    { cwd: dir, env: { ...process.env, NO_COLOR: '1' } },
  );
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
  });
  child.stderr.on('data', (c) => {
    out += c;
  });
  const code = await new Promise<number>((r) => child.once('close', (c) => r(c ?? 1)));
  const scrub = (text: string) =>
    text
      .replaceAll(fake.root, '/fake')
      .replaceAll(process.cwd(), '/repo')
      .replace(/\d+(\.\d+)?m?s\b/g, '1ms');
  const report = existsSync(json) ? JSON.parse(scrub(readFileSync(json, 'utf8'))) : null;
  if (report) {
    report.startTime = 0;
    for (const f of report.testResults) {
      f.startTime = 0;
      f.endTime = 0;
      for (const a of f.assertionResults) a.duration = 1;
    }
  }
  writeFileSync(
    join('scripts/test/fixtures/vitest', `${name}.json`),
    `${JSON.stringify({ folder, code, tail: scrub(out).replace(/JSON report written to .*\n/, ''), report }, null, 2)}\n`,
  );
  console.log(name, code, Boolean(report));
}
fake.cleanup();
