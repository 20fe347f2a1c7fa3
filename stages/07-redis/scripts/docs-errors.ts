import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CATALOGUE } from '../src/errors.ts';

// `pnpm docs:errors`: writes the error catalogue (src/errors.ts) into the README between two
// markers. test/http/errors.catalogue.test.ts fails when the README's table is not what this
// writes.
export const README = fileURLToPath(new URL('../README.md', import.meta.url));
const START = '<!-- error-catalogue:start (pnpm docs:errors writes this table) -->';
const END = '<!-- error-catalogue:end -->';

export function renderErrorTable(): string {
  const rows = ERROR_CATALOGUE.map(
    ({ status, code, when }) => `| ${status} | \`${code}\` | ${when} |`,
  );
  return [START, '| Status | Code | When |', '| --- | --- | --- |', ...rows, END].join('\n');
}

/** The README with its table replaced by the current one. */
export function withErrorTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`README.md needs the markers ${START} … ${END}`);
  return readme.slice(0, start) + renderErrorTable() + readme.slice(end + END.length);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(README, withErrorTable(readFileSync(README, 'utf8')));
}
