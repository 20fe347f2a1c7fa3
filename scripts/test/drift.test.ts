import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../check-drift.ts';
import { checkDrift, checkPair, formatDrift } from '../lib/drift.ts';
import { discoverStages, type Stage } from '../lib/stages.ts';
import { createFakeRepo } from './helpers/fake-repo.ts';
import { REPO_ROOT, runMain } from './helpers/run-script.ts';

// On small folders through the library (no process): the check itself. Then the real stages:
// the check CI runs (also `pnpm check:drift`).
const root = mkdtempSync(join(tmpdir(), 'backend-path-drift-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let made = 0;
function stage(number: number, files: Record<string, string>): Stage {
  const folder = `${String(number).padStart(2, '0')}-s${made++}`;
  const dir = join(root, folder);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { number, folder, dir, name: folder, description: '', needs: [], scripts: {} };
}

const before = {
  'src/app.ts': 'export const app = 1;\n',
  'src/same.ts': 'export const same = 1;\n',
  'src/gone.ts': 'export const gone = 1;\n',
  'test/a.test.ts': 'a\n',
  'test/b.test.ts': 'b\n',
  'README.md': '# one\n',
};
const after = {
  'src/app.ts': 'export const app = 2;\n',
  'src/same.ts': 'export const same = 1;\n',
  'src/new.ts': 'export const added = 1;\n',
  'test/a.test.ts': 'a2\n',
  'test/b.test.ts': 'b2\n',
};
const readme = (rows: string) =>
  `# two\n\n### What changed in stage 01's files, and why\n\n| file | change |\n|---|---|\n${rows}\n## Run it\n\n| \`src/ignored.ts\` | a table in another section |\n`;

describe('check:drift (the library)', () => {
  it('When the table names exactly the changed and dropped files (braces, a list item too), then there is no drift', () => {
    const a = stage(1, before);
    const b = stage(2, {
      ...after,
      'README.md': readme(
        '| `src/app.ts` | two |\n| `test/{a,b}.test.ts` | both |\n\n- `src/gone.ts`: gone\n',
      ),
    });

    expect(formatDrift([checkPair(a, b)], root)).toBe('');
  });

  it('When a changed file is not named and a named file is unchanged, then it says which row to add and which to remove', () => {
    const a = stage(1, before);
    const b = stage(2, {
      ...after,
      'README.md': readme('| `src/app.ts`, `src/same.ts` | two |\n| `test/*.test.ts` | tests |\n'),
    });

    const report = formatDrift([checkPair(a, b)], root);

    expect(report).toContain(`${a.folder} → ${b.folder}: ${b.folder}/README.md`);
    expect(report).toContain(`  add a row for \`src/gone.ts\` (not carried into ${b.folder})`);
    expect(report).toContain('  remove `src/same.ts` (');
    expect(report).not.toMatch(/src\/app\.ts|test\/|src\/new\.ts|src\/ignored\.ts/);
  });

  it('When the README has no such section, then it says to add it, with every file to name', () => {
    const a = stage(1, before);
    const b = stage(2, { ...after, 'README.md': '# two\n' });

    const report = formatDrift(checkDrift([a, b]), root);

    expect(report).toContain(`the section is missing: add "### What changed in stage 01's files`);
    for (const path of ['src/app.ts', 'src/gone.ts', 'test/a.test.ts', 'test/b.test.ts']) {
      expect(report).toContain(`add a row for \`${path}\``);
    }
  });
});

describe('pnpm check:drift', () => {
  it('When the tables agree, then it exits 0 saying so; when one does not, then it exits 1 with what to change', async () => {
    const stages = (readme: string) => [
      { folder: '01-one', description: 'same', files: before },
      { folder: '02-two', description: 'same', files: { ...after, 'README.md': readme } },
    ];
    const agrees = createFakeRepo(
      stages(readme('| `src/app.ts`, `src/gone.ts` | two |\n| `test/*.test.ts` | tests |\n')),
    );
    const disagrees = createFakeRepo(stages('# two\n'));
    try {
      const good = await runMain(main, ['--root', agrees.root]);
      const bad = await runMain(main, ['--root', disagrees.root]);

      expect(good.code).toBe(0);
      expect(good.stdout).toBe('No drift: 1 stage pairs, every README table matches.\n');
      expect(bad.code).toBe(1);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toContain('01-one → 02-two: stages/02-two/README.md');
      expect(bad.stderr).toContain('the section is missing');
    } finally {
      agrees.cleanup();
      disagrees.cleanup();
    }
  });
});

describe('check:drift (the stages of this repository)', () => {
  it("When every stage README's table is compared with the files that changed, then they agree", () => {
    const report = formatDrift(checkDrift(discoverStages(REPO_ROOT)), REPO_ROOT);

    expect(report, report).toBe('');
  });
});
