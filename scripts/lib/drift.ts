import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage } from './stages.ts';
import { isDocs, listFiles, unchanged } from './tree-diff.ts';

// Drift between copies: every stage README has a section "What changed in stage NN's files"
// whose table (or list) names, in its first column, each file of stage NN that this stage
// changes or does not carry. A fix made in one stage that never reached the next, or a carried
// file changed without a word in the lesson, shows up as a difference between the two lists.

/** `### What changed in stage 02's files` (anything may follow: ", and why"). */
export const SECTION = /^#{2,4} What changed in stage (\d+)'s files\b.*$/m;

export interface PairDrift {
  a: Stage;
  b: Stage;
  readme: string;
  /** The section is missing: every changed file is in `missing`. */
  noSection: boolean;
  /** Changed or not carried, and named by no entry: add them. */
  missing: { path: string; how: 'changed' | 'not carried' }[];
  /** Entries that name no changed file: remove them (or the file is identical again). */
  stale: string[];
}

/**
 * The files of a that b changes (README and other prose aside) or does not carry. Which files, not
 * how: no line diff and no rename search (a file b renamed is one b does not carry either way),
 * which is what made this check cost seconds.
 */
export function changedCarriedFiles(aDir: string, bDir: string): PairDrift['missing'] {
  const changed: PairDrift['missing'] = [];
  for (const path of listFiles(aDir)) {
    if (isDocs(path)) continue;
    const after = join(bDir, path);
    if (!existsSync(after)) changed.push({ path, how: 'not carried' });
    else if (!unchanged(path, readFileSync(join(aDir, path)), readFileSync(after))) {
      changed.push({ path, how: 'changed' });
    }
  }
  return changed.sort((x, y) => x.path.localeCompare(y.path));
}

/**
 * The entries the README names: in each table row (or list item) of the section, the
 * backticked paths at the start of the first cell (`src/a.ts`, `src/b.ts` | …). Paths are
 * relative to the stage folder; `{x,y}` and `*` are allowed (`test/tickets.{read,update}.test.ts`).
 */
export function readEntries(readme: string): string[] | null {
  const match = SECTION.exec(readme);
  if (!match) return null;
  const rest = readme.slice(match.index + match[0].length);
  const end = rest.search(/^#{1,4} /m);
  const section = end === -1 ? rest : rest.slice(0, end);
  const entries: string[] = [];
  for (const line of section.split('\n')) {
    let cell: string | undefined;
    if (/^\|/.test(line) && !/^\|[\s:|-]+\|?\s*$/.test(line)) cell = line.split('|')[1];
    else if (/^\s*[-*] /.test(line)) cell = line.replace(/^\s*[-*] /, '').split(/:\s/)[0];
    const leading = /^\s*((`[^`]+`\s*,?\s*)+)/.exec(cell ?? '');
    if (!leading?.[1]) continue;
    for (const item of leading[1].matchAll(/`([^`]+)`/g)) if (item[1]) entries.push(item[1]);
  }
  return entries;
}

function toRegExp(entry: string): RegExp {
  let pattern = '';
  for (let i = 0; i < entry.length; i++) {
    const c = entry[i] ?? '';
    if (c === '*' && entry[i + 1] === '*') {
      pattern += '.*';
      i++;
    } else if (c === '*') pattern += '[^/]*';
    else if (c === '{') pattern += '(?:';
    else if (c === '}') pattern += ')';
    else if (c === ',' && pattern.includes('(?:')) pattern += '|';
    else pattern += c.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

export function checkPair(a: Stage, b: Stage): PairDrift {
  const readme = join(b.dir, 'README.md');
  const entries = existsSync(readme) ? readEntries(readFileSync(readme, 'utf8')) : null;
  const changed = changedCarriedFiles(a.dir, b.dir);
  const patterns = (entries ?? []).map((entry) => ({ entry, re: toRegExp(entry) }));
  return {
    a,
    b,
    readme,
    noSection: entries === null,
    missing: changed.filter((file) => !patterns.some(({ re }) => re.test(file.path))),
    stale: patterns
      .filter(({ re }) => !changed.some((file) => re.test(file.path)))
      .map(({ entry }) => entry),
  };
}

/** Every adjacent pair of stages. */
export function checkDrift(stages: Stage[]): PairDrift[] {
  return stages.slice(1).map((b, i) => checkPair(stages[i] as Stage, b));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Empty when every table agrees with the code; otherwise what to add or remove, pair by pair. */
export function formatDrift(results: PairDrift[], root: string): string {
  const out: string[] = [];
  for (const r of results) {
    if (r.missing.length === 0 && r.stale.length === 0 && !r.noSection) continue;
    const heading = `### What changed in stage ${pad(r.a.number)}'s files`;
    const where = r.readme.startsWith(root) ? r.readme.slice(root.length + 1) : r.readme;
    out.push(`${r.a.folder} → ${r.b.folder}: ${where}, "${heading}"`);
    if (r.noSection) {
      out.push(
        `  the section is missing: add "${heading}, and why" with a table | file | change |`,
      );
    }
    for (const file of r.missing) {
      const how =
        file.how === 'changed' ? `changed in ${r.b.folder}` : `not carried into ${r.b.folder}`;
      out.push(`  add a row for \`${file.path}\` (${how})`);
    }
    for (const entry of r.stale) {
      out.push(
        `  remove \`${entry}\` (names no file of ${r.a.folder} that differs in ${r.b.folder}; paths start at the stage folder)`,
      );
    }
  }
  if (out.length === 0) return '';
  return [
    "The README tables of what changed in the previous stage's files disagree with the code.",
    'Each row names the changed files first, in backticks, relative to the stage folder:',
    '',
    ...out,
  ].join('\n');
}
