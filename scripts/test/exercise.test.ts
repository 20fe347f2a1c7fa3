import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../exercise.ts';
import {
  appliedExercise,
  applyExercise,
  loadExercises,
  parseExercise,
  README_END,
  README_START,
  renderBreakIt,
  restoreExercise,
  treeHash,
  withBreakIt,
} from '../lib/exercises.ts';
import { discoverStages } from '../lib/stages.ts';
import { createFakeRepo, type FakeRepo } from './helpers/fake-repo.ts';
import { REPO_ROOT, runMain, runScript } from './helpers/run-script.ts';

// The library on small fake stages (no process), then one real `vitest` run through the command,
// then the repository's own exercises: readable, and their README lists written from them.

const SOURCE = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
const TEST = `import { expect, test } from 'vitest';
import { add } from '../src/add.ts';
test('When 2 and 3 are added, then the sum is 5', () => {
  expect(add(2, 3)).toBe(5);
});
test('When nothing is added, then nothing breaks', () => {
  expect(true).toBe(true);
});
`;
const PATCH = `Title: Subtract instead of adding
Lesson: The sum becomes a difference: the test that names the sum must notice,
  the other one must not care.
Caught-by: test/add.test.ts > When 2 and 3 are added, then the sum is 5

--- a/src/add.ts
+++ b/src/add.ts
@@ -1,3 +1,3 @@
 export function add(a: number, b: number): number {
-  return a + b;
+  return a - b;
 }
`;

let repo: FakeRepo | undefined;
afterEach(() => repo?.cleanup());

function fakeStage(files: Record<string, string> = {}) {
  repo = createFakeRepo([
    {
      folder: '03-fake',
      files: {
        'src/add.ts': SOURCE,
        'test/add.test.ts': TEST,
        'exercises/01-subtract.patch': PATCH,
        'README.md': `# Stage 03\n\n## Break it\n\n${README_START}\n${README_END}\n\n## Why it matters\n`,
        ...files,
      },
    },
  ]);
  const [stage] = discoverStages(repo.root);
  if (!stage) throw new Error('no fake stage');
  return stage;
}

describe('an exercise file', () => {
  it('When it has a title, a lesson on two lines and a Caught-by line, then each is read', () => {
    const exercise = parseExercise(PATCH, 'x.patch', 1, 'subtract');

    expect(exercise.title).toBe('Subtract instead of adding');
    expect(exercise.lesson).toBe(
      'The sum becomes a difference: the test that names the sum must notice, the other one must not care.',
    );
    expect(exercise.caughtBy).toEqual([
      { file: 'test/add.test.ts', test: 'When 2 and 3 are added, then the sum is 5' },
    ]);
    expect(exercise.patches).toHaveLength(1);
  });

  it.each([
    ['no title', PATCH.replace(/^Title:.*\n/m, ''), /no "Title:"/],
    ['no Caught-by', PATCH.replace(/^Caught-by:.*\n/m, ''), /no "Caught-by:"/],
    [
      'a Caught-by without a test name',
      PATCH.replace(/ > When.*$/m, ''),
      /must name a file and a test/,
    ],
    ['no diff', PATCH.slice(0, PATCH.indexOf('---')), /no diff/],
  ])('When it has %s, then reading it says what is missing', (_case, text, message) => {
    expect(() => parseExercise(text, 'x.patch', 1, 'x')).toThrow(message);
  });

  it('When a file in exercises/ is not named NN-name.patch, then loading says how to name it', () => {
    const stage = fakeStage({ 'exercises/subtract.patch': PATCH });

    expect(() => loadExercises(stage)).toThrow(/NN-some-name\.patch/);
  });
});

describe('applying and restoring', () => {
  it('When an exercise is applied then restored, then every file is byte for byte what it was (Windows line endings too)', () => {
    const crlf = 'export function add(a: number, b: number): number {\r\n  return a + b;\r\n}\r\n';
    const stage = fakeStage({ 'src/add.ts': crlf });
    const before = treeHash(stage.dir);
    const [exercise] = loadExercises(stage);
    if (!exercise) throw new Error('no exercise');

    const kept = applyExercise(stage.dir, exercise);

    expect(readFileSync(join(stage.dir, 'src/add.ts'), 'utf8')).toContain('return a - b;');
    expect(appliedExercise(stage.dir)?.name).toBe('subtract');
    restoreExercise(stage.dir, kept);
    expect(readFileSync(join(stage.dir, 'src/add.ts'), 'utf8')).toBe(crlf);
    expect(appliedExercise(stage.dir)).toBeNull();
    expect(treeHash(stage.dir)).toBe(before);
  });

  it('When the code moved on and a hunk no longer fits, then nothing is written and the file is named', () => {
    const stage = fakeStage({ 'src/add.ts': SOURCE.replace('a + b', 'b + a') });
    const before = treeHash(stage.dir);
    const [exercise] = loadExercises(stage);
    if (!exercise) throw new Error('no exercise');

    expect(() => applyExercise(stage.dir, exercise)).toThrow(/no longer fits src\/add\.ts/);
    expect(treeHash(stage.dir)).toBe(before);
    expect(existsSync(join(stage.dir, '.exercise'))).toBe(false);
  });

  it('When an exercise is still applied, then a second one is refused until --restore', async () => {
    const stage = fakeStage();
    const [exercise] = loadExercises(stage);
    if (!exercise) throw new Error('no exercise');
    applyExercise(stage.dir, exercise);

    expect(() => applyExercise(stage.dir, exercise)).toThrow(/still applied/);
    const restored = await runMain(main, ['--root', repo?.root ?? '', '3', '--restore']);
    expect(restored.code).toBe(0);
    expect(readFileSync(join(stage.dir, 'src/add.ts'), 'utf8')).toBe(SOURCE);
  });
});

describe('the Break-it list in a README', () => {
  it('When the list is written, then it holds each exercise, the command that runs it and the tests that catch it, between the markers', () => {
    const stage = fakeStage();
    const block = renderBreakIt(3, loadExercises(stage));
    const readme = withBreakIt(readFileSync(join(stage.dir, 'README.md'), 'utf8'), block);

    expect(readme).toContain('1. **Subtract instead of adding** — `pnpm exercise 3 subtract`');
    expect(readme).toContain('`test/add.test.ts` › “When 2 and 3 are added, then the sum is 5”');
    expect(readme).toMatch(
      /## Break it\n\n<!-- exercises[\s\S]*<!-- \/exercises -->\n\n## Why it matters/,
    );
  });

  it('When a README has no markers, then there is nothing to write into', () => {
    expect(withBreakIt('# no block\n', 'x')).toBeNull();
  });
});

describe('pnpm exercise (a real vitest run)', () => {
  it('When an exercise is run, then its named test fails, the other does not count, and the stage is restored; --verify agrees', async () => {
    const stage = fakeStage();
    const before = treeHash(stage.dir);

    const run = await runScript('exercise', ['--root', repo?.root ?? '', '3', 'subtract']);

    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain('✓ caught  test/add.test.ts › When 2 and 3 are added');
    expect(run.stdout).toContain('Restored 03-fake byte for byte.');
    expect(treeHash(stage.dir)).toBe(before);
    const verify = await runMain(main, ['--root', repo?.root ?? '', '--verify']);
    expect(verify.code, verify.output).toBe(0);
    expect(verify.stdout).toContain('1 exercises caught and restored, 0 not');
  });

  it('When a named test does not fail with the break in, then --verify fails and names it', async () => {
    const stage = fakeStage({
      'exercises/01-subtract.patch': PATCH.replace(
        'When 2 and 3 are added, then the sum is 5',
        'When nothing is added, then nothing breaks',
      ),
    });
    const before = treeHash(stage.dir);

    const verify = await runMain(main, ['--root', repo?.root ?? '', '--verify']);

    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/subtract: not caught/);
    expect(treeHash(stage.dir)).toBe(before);
  });
});

describe("the repository's exercises", () => {
  it('When every stage is read, then every exercise parses and every README lists exactly its exercises', () => {
    for (const stage of discoverStages(REPO_ROOT)) {
      const exercises = loadExercises(stage);
      if (exercises.length === 0) continue;
      const readme = readFileSync(join(stage.dir, 'README.md'), 'utf8');
      const written = withBreakIt(readme, renderBreakIt(stage.number, exercises));
      expect(written, `${stage.folder}/README.md has no exercise block`).not.toBeNull();
      expect(written, `${stage.folder}/README.md: run pnpm exercise --readme`).toBe(readme);
    }
  });
});
