import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { applyPatch, parsePatch, type StructuredPatch } from 'diff';
import type { Stage } from './stages.ts';

// An exercise is a small patch a stage ships in `exercises/NN-name.patch`: it puts a classic bug
// back (no row lock, a token verified without its algorithm pinned…) and names the tests that must
// catch it. The patch file is what a learner reads: a few header lines, then a unified diff.
//
//   Title: Resolve a ticket without locking its row
//   Lesson: two agents read "open" at the same time, both resolve it, and the activity log …
//   Caught-by: test/tickets/tickets.resolve.test.ts > When two agents resolve the same ticket at once
//
//   --- a/src/tickets/tickets.repository.pg.ts
//   +++ b/src/tickets/tickets.repository.pg.ts
//   @@ …
//
// Headers are `Name: value`; a line that starts with a space continues the previous header.
// Paths in the diff are relative to the stage folder (`git diff --relative=stages/NN-x` makes them).

export const EXERCISES_DIR = 'exercises';
/** Where an applied exercise is remembered (git-ignored): its name and the files' original bytes. */
export const STATE_DIR = '.exercise';
const FILE = /^(\d{2})-([a-z0-9][a-z0-9-]*)\.patch$/;

export interface CaughtBy {
  /** test file, relative to the stage folder */
  file: string;
  /** a part of the test's full name ("describe › test"): the test that must fail */
  test: string;
}

export interface Exercise {
  /** 1 for `01-no-row-lock.patch` */
  number: number;
  /** `no-row-lock` */
  name: string;
  /** the patch file, absolute */
  path: string;
  title: string;
  lesson: string;
  caughtBy: CaughtBy[];
  /** the unified diff, one entry per file */
  patches: StructuredPatch[];
}

/** The exercises of a stage, in their number order (none: an empty list). */
export function loadExercises(stage: Pick<Stage, 'dir'>): Exercise[] {
  const dir = join(stage.dir, EXERCISES_DIR);
  if (!existsSync(dir)) return [];
  const exercises: Exercise[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.patch')) continue;
    const match = FILE.exec(file);
    if (!match) {
      throw new Error(
        `${EXERCISES_DIR}/${file}: name it NN-some-name.patch (e.g. 01-no-row-lock.patch).`,
      );
    }
    const path = join(dir, file);
    exercises.push(
      parseExercise(readFileSync(path, 'utf8'), path, Number(match[1]), match[2] ?? ''),
    );
  }
  return exercises;
}

export function parseExercise(text: string, path: string, number: number, name: string): Exercise {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('--- ') || line.startsWith('diff '));
  if (start === -1) throw new Error(`${path}: no diff (a line starting with "--- ") found.`);
  const headers: [string, string][] = [];
  for (const line of lines.slice(0, start)) {
    const header = /^([A-Z][A-Za-z-]*):\s*(.*)$/.exec(line);
    const last = headers.at(-1);
    if (header) headers.push([header[1] ?? '', header[2] ?? '']);
    else if (/^\s+\S/.test(line) && last) last[1] = `${last[1]} ${line.trim()}`;
  }
  const all = (key: string) => headers.filter(([k]) => k === key).map(([, v]) => v.trim());
  const title = all('Title')[0];
  const lesson = all('Lesson')[0];
  if (!title) throw new Error(`${path}: no "Title:" line.`);
  if (!lesson) throw new Error(`${path}: no "Lesson:" line (what the break teaches).`);
  const caughtBy = all('Caught-by').map((value) => {
    const [file, ...rest] = value.split(' > ');
    const test = rest.join(' > ').trim();
    if (!file || !test) {
      throw new Error(
        `${path}: "Caught-by: ${value}" must name a file and a test: "test/x.test.ts > When …".`,
      );
    }
    return { file: file.trim(), test };
  });
  if (caughtBy.length === 0) throw new Error(`${path}: no "Caught-by:" line.`);
  const patches = parsePatch(lines.slice(start).join('\n'));
  if (patches.length === 0 || patches.some((patch) => patch.hunks.length === 0)) {
    throw new Error(`${path}: the diff has no hunks.`);
  }
  return { number, name, path, title, lesson, caughtBy, patches };
}

/** `3`, `03` or the name. */
export function findExercise(exercises: Exercise[], arg: string): Exercise {
  const found = /^\d{1,2}$/.test(arg)
    ? exercises.find((exercise) => exercise.number === Number(arg))
    : exercises.find((exercise) => exercise.name === arg);
  if (found) return found;
  const known = exercises.map((exercise) => exercise.name).join(', ') || 'none';
  throw new Error(`No exercise "${arg}". This stage has: ${known}.`);
}

/** `a/src/x.ts` → `src/x.ts` */
function target(patch: StructuredPatch): string {
  const name = patch.oldFileName ?? patch.newFileName ?? '';
  return name.replace(/^[ab]\//, '');
}

export interface Kept {
  name: string;
  /** relative path → original content, base64 (what --restore writes back) */
  originals: Record<string, string>;
}

function statePath(stageDir: string): string {
  return join(stageDir, STATE_DIR, 'applied.json');
}

/** The exercise applied to this stage and not restored yet (kept, or a run that was killed). */
export function appliedExercise(stageDir: string): Kept | null {
  const file = statePath(stageDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Kept) : null;
}

/**
 * Puts the bug in. Every hunk is fitted first, in memory, with no fuzz: a patch that no longer fits
 * the code writes nothing and says which file moved on. The originals are saved before any write,
 * so a run killed half-way can still be restored.
 */
export function applyExercise(stageDir: string, exercise: Exercise): Kept {
  const already = appliedExercise(stageDir);
  if (already) {
    throw new Error(
      `"${already.name}" is still applied here: restore it first (pnpm exercise <stage> --restore).`,
    );
  }
  const results: { file: string; before: Buffer; after: string }[] = [];
  for (const patch of exercise.patches) {
    const file = target(patch);
    const path = join(stageDir, file);
    if (!existsSync(path))
      throw new Error(`${exercise.name}: ${file} does not exist in this stage.`);
    const before = readFileSync(path);
    const after = applyPatch(before.toString('utf8'), patch);
    if (after === false) {
      throw new Error(
        `${exercise.name}: the patch no longer fits ${file} (the code changed since it was made).`,
      );
    }
    results.push({ file, before, after });
  }
  const kept: Kept = {
    name: exercise.name,
    originals: Object.fromEntries(results.map((r) => [r.file, r.before.toString('base64')])),
  };
  mkdirSync(dirname(statePath(stageDir)), { recursive: true });
  writeFileSync(statePath(stageDir), `${JSON.stringify(kept, null, 2)}\n`);
  for (const { file, after } of results) writeFileSync(join(stageDir, file), after);
  return kept;
}

/** Writes the originals back, byte for byte, and forgets the exercise. */
export function restoreExercise(stageDir: string, kept: Kept): void {
  for (const [file, base64] of Object.entries(kept.originals)) {
    writeFileSync(join(stageDir, file), Buffer.from(base64, 'base64'));
  }
  rmSync(join(stageDir, STATE_DIR), { recursive: true, force: true });
}

const NOT_SOURCE = new Set(['node_modules', '.data', 'dist', 'coverage', 'lab-results', STATE_DIR]);

/** One hash of every file of the stage (build output and installed packages aside). */
export function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (at: string, prefix: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (NOT_SOURCE.has(entry.name) || entry.name === 'generated') continue;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(at, entry.name), rel);
      else if (entry.isFile()) hash.update(`${rel}\0`).update(readFileSync(join(at, entry.name)));
    }
  };
  walk(dir, '');
  return hash.digest('hex');
}

/** One test of vitest's JSON report. */
export interface TestOutcome {
  file: string;
  fullName: string;
  status: string;
}

export type Verdict = 'caught' | 'not caught' | 'no such test';

/** For each Caught-by line: did a test of that file whose full name contains it fail? */
export function judge(
  exercise: Exercise,
  outcomes: TestOutcome[],
): { by: CaughtBy; verdict: Verdict }[] {
  return exercise.caughtBy.map((by) => {
    const matching = outcomes.filter(
      (o) => o.file.endsWith(by.file) && o.fullName.includes(by.test),
    );
    if (matching.length === 0) return { by, verdict: 'no such test' as const };
    const failed = matching.some((o) => o.status === 'failed');
    return { by, verdict: failed ? ('caught' as const) : ('not caught' as const) };
  });
}

/** vitest's `-t`: only the named tests run (a regular expression of their names, escaped). */
export function namePattern(exercise: Exercise): string {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...new Set(exercise.caughtBy.map((by) => literal(by.test)))].join('|');
}

export function testFiles(exercise: Exercise): string[] {
  return [...new Set(exercise.caughtBy.map((by) => by.file))];
}

// The README's "Break it" list is written from the exercises, between these two lines, so it
// cannot drift from what `pnpm exercise` runs (`pnpm exercise --readme` rewrites it).
export const README_START = '<!-- exercises: written by `pnpm exercise --readme`, do not edit -->';
export const README_END = '<!-- /exercises -->';

export function renderBreakIt(stageNumber: number, exercises: Exercise[]): string {
  const items = exercises.map((exercise) => {
    const tests = exercise.caughtBy.map((by) => `\`${by.file}\` › “${by.test}”`).join('; ');
    return [
      `${exercise.number}. **${exercise.title}** — \`pnpm exercise ${stageNumber} ${exercise.name}\``,
      `   ${exercise.lesson}`,
      `   Caught by ${tests}.`,
    ].join('\n');
  });
  return [README_START, '', ...items.flatMap((item) => [item, '']), README_END].join('\n');
}

/** The README with its exercise block rewritten; null when it has no block to rewrite. */
export function withBreakIt(readme: string, block: string): string | null {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start === -1 || end === -1 || end < start) return null;
  return readme.slice(0, start) + block + readme.slice(end + README_END.length);
}
