import { readFileSync } from 'node:fs';

// A stand-in for a stage's vitest that replays a recorded run (fixtures/vitest/<name>.json,
// helpers/record-vitest-fixtures.ts): it prints what vitest printed, writes its JSON report where
// it is asked to and exits with its code, in the ≈ 50 ms a bare node start takes rather than the
// seconds a real vitest needs. It prints the arguments it was given first, so a test sees what
// `pnpm test` handed to vitest.
const REPLAYER = `import { readFileSync, writeFileSync } from 'node:fs';
// recorded in /fake/stages/<folder>; replayed where we run, as vitest runs in the stage's folder
const text = readFileSync(new URL('./recorded.json', import.meta.url), 'utf8');
const { folder } = JSON.parse(text);
const recorded = JSON.parse(text.replaceAll('/fake/stages/' + folder, process.cwd()));
const args = process.argv.slice(2);
const report = args.find((arg) => arg.startsWith('--outputFile.json='));
process.stdout.write('replayed vitest got: ' + args.join(' ') + '\\n');
process.stdout.write(recorded.tail);
if (report && recorded.report) {
  writeFileSync(report.slice('--outputFile.json='.length), JSON.stringify(recorded.report));
}
process.exitCode = recorded.code;
`;

/** A stage's files for createFakeRepo (with `linkNodeModules: false`): its vitest replays `name`. */
export function replayingVitest(name: string): Record<string, string> {
  const recorded = readFileSync(
    new URL(`../fixtures/vitest/${name}.json`, import.meta.url),
    'utf8',
  );
  return {
    'node_modules/vitest/package.json': `${JSON.stringify({ name: 'vitest', version: '0.0.0' })}\n`,
    'node_modules/vitest/vitest.mjs': REPLAYER,
    'node_modules/vitest/recorded.json': recorded,
  };
}
