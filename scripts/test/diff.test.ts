import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CHROMIUM_ARGS, chromiumForTest } from '@backend-path/shared/testing/chromium';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../diff.ts';
import { renderDiffPage } from '../lib/diff-html.ts';
import { collapsedLines, formatStat, formatTerminalDiff } from '../lib/diff-terminal.ts';
import { discoverStages } from '../lib/stages.ts';
import { diffTrees, formatPatch, splitForReading } from '../lib/tree-diff.ts';
import { createFakeRepo } from './helpers/fake-repo.ts';
import { REPO_ROOT, runMain, runScript } from './helpers/run-script.ts';

const noise = (tag: string) => ({
  'dist/server.js': `built ${tag}\n`,
  'coverage/index.html': `coverage ${tag}\n`,
  '.data/pglite/PG_VERSION': `data ${tag}\n`,
  'src/generated/client.ts': `generated ${tag}\n`,
  'lab-results/explain.txt': `lab ${tag}\n`,
  'reports/mutation/mutation.json': `{"mutants":"${tag}"}\n`,
  '.stryker-tmp/sandbox/x.ts': `sandbox ${tag}\n`,
  'tsconfig.tsbuildinfo': `{"tag":"${tag}"}\n`,
  'pnpm-lock.yaml': `lock ${tag}\n`,
});
const fake = createFakeRepo([
  {
    folder: '01-raw-http',
    description: 'same description',
    files: {
      ...noise('one'),
      'src/app.ts': "const port = 3000;\nexport const greeting = 'hello';\nexport { port };\n",
      'src/old.ts': 'export const old = true;\n',
      'src/same.ts': 'export const same = 1;\n',
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]),
    },
  },
  {
    folder: '02-express',
    description: 'same description',
    pkg: { dependencies: { express: 'catalog:' } },
    files: {
      ...noise('two'),
      'src/app.ts':
        "const port = 3000;\nexport const greeting = 'hello, express';\nexport { port };\n",
      'src/tickets/tickets.router.ts': 'export const router = 1;\nexport const routes = 2;\n',
      'src/same.ts': 'export const same = 1;\n',
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 9, 9]),
    },
  },
]);
const htmlFile = join(tmpdir(), `backend-path-diff-test-${process.pid}.html`);
afterAll(() => {
  fake.cleanup();
  rmSync(htmlFile, { force: true });
});

const NOISE_PATHS =
  /node_modules|dist\/|coverage\/|\.data\/|generated\/|lab-results|reports\/mutation|stryker-tmp|tsbuildinfo|pnpm-lock/;

describe.concurrent('pnpm diff <a> <b>', () => {
  // In a process of its own, as `pnpm diff` runs it, output into a pipe: the command's wiring.
  // The other cases call the command's main in this process.
  it('When two stages differ, then a plain unified diff shows the lesson and none of the noise', async () => {
    const run = await runScript('diff', ['--root', fake.root, '1', '2']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('diff --git a/src/app.ts b/src/app.ts');
    expect(run.stdout).toContain(
      "-export const greeting = 'hello';\n+export const greeting = 'hello, express';",
    );
    expect(run.stdout).toContain('--- /dev/null\n+++ b/src/tickets/tickets.router.ts');
    expect(run.stdout).toContain('not carried into 02-express: src/old.ts (25 B, 1 line)');
    expect(run.stdout).not.toContain('export const old');
    expect(run.stdout).toContain('diff --git a/logo.png b/logo.png\nbinary file changed');
    expect(run.stdout).toContain('+  "dependencies": {');
    expect(run.stdout).not.toMatch(/^[-+]\s*"name"/m);
    expect(run.stdout).not.toContain('src/same.ts');
    expect(run.stdout).not.toMatch(NOISE_PATHS);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('When color is forced and when NO_COLOR is set, then the diff is colored or plain accordingly', async () => {
    const colored = await runMain(main, ['--root', fake.root, '1', '2'], {
      env: { NO_COLOR: undefined, FORCE_COLOR: '1' },
    });
    const plain = await runMain(main, ['--root', fake.root, '1', '2'], {
      env: { NO_COLOR: '1', FORCE_COLOR: '1' },
    });

    expect(colored.stdout).toContain(
      "\u001b[32m+export const greeting = 'hello, express';\u001b[0m",
    );
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it('When --stat is given, then each changed file gets its added/removed lines and the totals follow', async () => {
    const run = await runMain(main, ['--root', fake.root, '01-raw-http', '02', '--stat']);

    expect(run.code).toBe(0);
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.trim());
    expect(lines).toEqual([
      expect.stringMatching(/^logo\.png\s+\| binary file changed$/),
      expect.stringMatching(/^package\.json\s+\| \+3$/),
      expect.stringMatching(/^src\/app\.ts\s+\| \+1 -1$/),
      expect.stringMatching(/^src\/tickets\/tickets\.router\.ts \(added\)\s+\| \+2$/),
      expect.stringMatching(/^src\/old\.ts \(not carried\)\s+\| 25 B, 1 line$/),
      '4 files changed, 6 insertions(+), 1 deletions(-); 1 not carried',
    ]);
  });

  it('When --html is given, then a self-contained page names the stages and every changed file in Chromium', async (context) => {
    const browser = chromiumForTest('the --html page');
    if ('skip' in browser) return context.skip(browser.skip);

    const run = await runMain(main, ['--root', fake.root, '1', '2', '--html', htmlFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Wrote ${htmlFile}`);
    const page = readFileSync(htmlFile, 'utf8');
    expect(page).not.toMatch(/<(script|link)\b|src="http/); // nothing to fetch: works offline

    const chrome = await chromium.launch({ executablePath: browser.path, args: CHROMIUM_ARGS });
    try {
      const tab = await chrome.newPage();
      await tab.goto(`file://${htmlFile}`);
      const title = await tab.title();
      const fileNames = await tab.locator('.d2h-file-wrapper .d2h-file-name').allTextContents();
      const sideBySide = await tab.locator('.d2h-file-side-diff').count();

      expect(title).toBe('Stage 01-raw-http → 02-express: what 02-express changes');
      expect(fileNames.map((name) => name.trim())).toEqual([
        'logo.png',
        'package.json',
        'src/app.ts',
        'src/tickets/tickets.router.ts',
      ]);
      expect(await tab.locator('.collapsed li').allTextContents()).toEqual([
        'not carried into 02-express: src/old.ts (25 B, 1 line)',
      ]);
      expect(sideBySide).toBeGreaterThan(0);
      expect(await tab.locator('body').textContent()).toContain('hello, express');
    } finally {
      await chrome.close();
    }
  });

  it('When --html has no file, then the page goes to the temp folder and its path is printed', async () => {
    const run = await runMain(main, ['--root', fake.root, '1', '2', '--html']);

    const expected = join(tmpdir(), 'backend-path', 'diff-01-02.html');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Wrote ${expected}`);
    expect(existsSync(expected)).toBe(true);
  });

  it('When a stage is unknown or one is missing, then it exits 2 with the reason', async () => {
    const unknown = await runMain(main, ['--root', fake.root, '1', '7']);
    const missing = await runMain(main, ['--root', fake.root, '1']);

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No stage "7"');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Give two stages');
  });

  const firstRealStage = discoverStages(REPO_ROOT)[0];
  it.skipIf(!firstRealStage)(
    'When a real stage is diffed with itself, then there are no differences',
    async () => {
      const n = String(firstRealStage?.number);
      const run = await runMain(main, [n, n]);

      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(
        `No differences between ${firstRealStage?.folder} and ${firstRealStage?.folder}.`,
      );
    },
  );
});

// The library on two small folders (no process to start): what a reader sees by default.
describe('pnpm diff: code first (tree-diff, diff-terminal, diff-html)', () => {
  const root = mkdtempSync(join(tmpdir(), 'backend-path-diff-lib-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (stage: string, files: Record<string, string>) => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, stage, path)), { recursive: true });
      writeFileSync(join(root, stage, path), content);
    }
    return join(root, stage);
  };
  const store = Array.from({ length: 20 }, (_, i) => `export const line${i} = ${i};`).join('\n');
  const a = write('a', {
    'README.md': '# Stage a\n\nOld prose.\n',
    'src/tickets/tickets.store.ts': `${store}\n`,
    'src/http/router.ts': 'export function route() {\n  return 1;\n}\n',
    'src/app.ts': 'export const app = 1;\n',
  });
  const b = write('b', {
    'README.md': '# Stage b\n\nNew prose.\nMore prose.\n',
    // the same file, moved, one line changed and two added
    'src/tickets/tickets.repository.ts': `${store.replace('line3 = 3', 'line3 = 33')}\nexport const more = 1;\nexport const most = 2;\n`,
    'src/app.ts': 'export const app = 2;\n',
  });
  const labels = { b: 'b', docsHint: 'pnpm diff a b --docs' };

  it('When a file moved with small changes, then it is one rename with its diff, not a delete and an add', () => {
    const view = splitForReading(diffTrees(a, b));
    const patch = formatPatch(view.code);

    const renamed = view.code.find((d) => d.status === 'renamed');
    expect(renamed).toMatchObject({
      path: 'src/tickets/tickets.repository.ts',
      oldPath: 'src/tickets/tickets.store.ts',
      added: 3,
      removed: 1,
    });
    expect(patch).toContain(
      'diff --git a/src/tickets/tickets.store.ts b/src/tickets/tickets.repository.ts\nsimilarity index 95%\n' +
        'rename from src/tickets/tickets.store.ts\nrename to src/tickets/tickets.repository.ts\n' +
        '--- a/src/tickets/tickets.store.ts\n+++ b/src/tickets/tickets.repository.ts',
    );
    expect(patch).toContain('-export const line3 = 3;\n+export const line3 = 33;');
    expect(patch).not.toContain('/dev/null');
  });

  it('When stage a has a file b does not carry, then it is one line with its size and its content is not printed', () => {
    const out = formatTerminalDiff(splitForReading(diffTrees(a, b)), false, labels);

    expect(out).toContain('not carried into b: src/http/router.ts (40 B, 3 lines)\n');
    expect(out).not.toContain('export function route');
  });

  it('When the README changed, then it is one summary line after the code, and --docs shows its diff', () => {
    const diffs = diffTrees(a, b);

    const collapsed = formatTerminalDiff(splitForReading(diffs), false, labels);
    const shown = formatTerminalDiff(splitForReading(diffs, { docs: true }), false, labels);

    expect(collapsed).toContain('docs: README.md +3 -2, collapsed (pnpm diff a b --docs shows it)');
    expect(collapsed).not.toContain('New prose');
    expect(collapsed.indexOf('diff --git a/src/app.ts')).toBeLessThan(collapsed.indexOf('docs:'));
    expect(shown).toContain('diff --git a/README.md b/README.md');
    expect(shown).toContain('+New prose.');
    expect(shown).not.toContain('collapsed');
  });

  it('When --stat is given, then renames, files not carried and collapsed docs get a line each, and the totals count the code', () => {
    const lines = formatStat(splitForReading(diffTrees(a, b)), false, labels)
      .split('\n')
      .map((line) => line.trim());

    expect(lines).toEqual([
      expect.stringMatching(/^src\/app\.ts\s+\| \+1 -1$/),
      expect.stringMatching(
        /^src\/tickets\/tickets\.repository\.ts \(renamed from src\/tickets\/tickets\.store\.ts, 95%\)\s+\| \+3 -1$/,
      ),
      expect.stringMatching(/^src\/http\/router\.ts \(not carried\)\s+\| 40 B, 3 lines$/),
      expect.stringMatching(/^README\.md \(docs, collapsed\)\s+\| \+3 -2$/),
      '2 files changed, 4 insertions(+), 2 deletions(-); 1 not carried; docs +3 -2 collapsed (pnpm diff a b --docs)',
    ]);
  });

  it('When --html is given, then the page shows the rename as one file and lists what it leaves out', () => {
    const view = splitForReading(diffTrees(a, b));

    const page = renderDiffPage(
      formatPatch(view.code),
      'a → b',
      'summary',
      collapsedLines(view, labels),
    );

    expect(page).toMatch(/tickets\.\{?store\.ts.*→.*repository\.ts/);
    expect(page).toContain('<li>not carried into b: src/http/router.ts (40 B, 3 lines)</li>');
    expect(page).toContain('<li>docs: README.md +3 -2, collapsed');
    expect(page).not.toContain('Old prose');
    expect(page).not.toContain('export function route');
  });
});
