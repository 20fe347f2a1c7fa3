// test:pyramid — the test pyramid as this stage practises it, measured, not hand-counted.
// Runs each vitest project alone (unit, contract, integration), one after the other, with the
// JSON reporter: how many files and tests each level has, the wall time of the whole run
// (startup, database template and all) and the time inside the tests. Prints a table and
// saves lab-results/test-pyramid.json.
// Run: pnpm test:pyramid in the stage folder (about as long as `pnpm test`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, round, writeResults } from './lib/report.ts';

const STAGE = fileURLToPath(new URL('..', import.meta.url));
const LEVELS = ['unit', 'contract', 'integration'] as const;
// This stage's vitest, run by the Node that runs the lab, not by whichever `node` is first on PATH.
const VITEST = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);

interface JsonReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: {
    name: string;
    assertionResults: { fullName: string; status: string; duration?: number | null }[];
  }[];
}

function measure(project: string) {
  const out = join(mkdtempSync(join(tmpdir(), 'pyramid-')), 'report.json');
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [VITEST, 'run', '--project', project, '--reporter=json', `--outputFile=${out}`],
    { cwd: STAGE, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const wallSeconds = (performance.now() - started) / 1000;
  const report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      if (test.status === 'failed')
        console.error(`FAILED (${project}) ${file.name} > ${test.fullName}`);
    }
  }
  const inTests = report.testResults
    .flatMap((file) => file.assertionResults)
    .reduce((sum, test) => sum + (test.duration ?? 0), 0);
  return {
    level: project,
    files: report.testResults.length,
    tests: report.numTotalTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests,
    'wall s': round(wallSeconds, 1),
    'in tests s': round(inTests / 1000, 2),
    'ms / test': round(inTests / Math.max(report.numTotalTests, 1), 1),
    exit: run.status ?? -1,
  };
}

const rows = LEVELS.map(measure);
printTable(rows);
const file = writeResults('test-pyramid', { rows });
console.log(`\nSaved ${file}`);
if (rows.some((row) => row.exit !== 0)) process.exit(1);
