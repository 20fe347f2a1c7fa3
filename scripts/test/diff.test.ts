import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverStages } from '../lib/stages.ts';
import { CHROMIUM_ARGS, chromiumForTest } from './helpers/chromium.ts';
import { createFakeRepo } from './helpers/fake-repo.ts';
import { REPO_ROOT, runScript } from './helpers/run-script.ts';

const noise = (tag: string) => ({
  'dist/server.js': `built ${tag}\n`,
  'coverage/index.html': `coverage ${tag}\n`,
  '.data/pglite/PG_VERSION': `data ${tag}\n`,
  'src/generated/client.ts': `generated ${tag}\n`,
  'lab-results/explain.txt': `lab ${tag}\n`,
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
  /node_modules|dist\/|coverage\/|\.data\/|generated\/|lab-results|tsbuildinfo|pnpm-lock/;

describe('pnpm diff <a> <b>', () => {
  it('When two stages differ, then a plain unified diff shows the lesson and none of the noise', async () => {
    const run = await runScript('diff', ['--root', fake.root, '1', '2']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('diff --git a/src/app.ts b/src/app.ts');
    expect(run.stdout).toContain(
      "-export const greeting = 'hello';\n+export const greeting = 'hello, express';",
    );
    expect(run.stdout).toContain('--- /dev/null\n+++ b/src/tickets/tickets.router.ts');
    expect(run.stdout).toContain('--- a/src/old.ts\n+++ /dev/null');
    expect(run.stdout).toContain('diff --git a/logo.png b/logo.png\nbinary file changed');
    expect(run.stdout).toContain('+  "dependencies": {');
    expect(run.stdout).not.toMatch(/^[-+]\s*"name"/m);
    expect(run.stdout).not.toContain('src/same.ts');
    expect(run.stdout).not.toMatch(NOISE_PATHS);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('When color is forced and when NO_COLOR is set, then the diff is colored or plain accordingly', async () => {
    const colored = await runScript('diff', ['--root', fake.root, '1', '2'], {
      env: { NO_COLOR: undefined, FORCE_COLOR: '1' },
    });
    const plain = await runScript('diff', ['--root', fake.root, '1', '2'], {
      env: { NO_COLOR: '1', FORCE_COLOR: '1' },
    });

    expect(colored.stdout).toContain(
      "\u001b[32m+export const greeting = 'hello, express';\u001b[0m",
    );
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it('When --stat is given, then each changed file gets its added/removed lines and the totals follow', async () => {
    const run = await runScript('diff', ['--root', fake.root, '01-raw-http', '02', '--stat']);

    expect(run.code).toBe(0);
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.trim());
    expect(lines).toEqual([
      expect.stringMatching(/^logo\.png\s+\| binary file changed$/),
      expect.stringMatching(/^package\.json\s+\| \+3$/),
      expect.stringMatching(/^src\/app\.ts\s+\| \+1 -1$/),
      expect.stringMatching(/^src\/old\.ts \(deleted\)\s+\| -1$/),
      expect.stringMatching(/^src\/tickets\/tickets\.router\.ts \(added\)\s+\| \+2$/),
      '5 files changed, 6 insertions(+), 2 deletions(-)',
    ]);
  });

  it('When --html is given, then a self-contained page names the stages and every changed file in Chromium', async (context) => {
    const browser = chromiumForTest();
    if ('skip' in browser) return context.skip(browser.skip);

    const run = await runScript('diff', ['--root', fake.root, '1', '2', '--html', htmlFile]);
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
        'src/old.ts',
        'src/tickets/tickets.router.ts',
      ]);
      expect(sideBySide).toBeGreaterThan(0);
      expect(await tab.locator('body').textContent()).toContain('hello, express');
    } finally {
      await chrome.close();
    }
  });

  it('When --html has no file, then the page goes to the temp folder and its path is printed', async () => {
    const run = await runScript('diff', ['--root', fake.root, '1', '2', '--html']);

    const expected = join(tmpdir(), 'backend-path', 'diff-01-02.html');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Wrote ${expected}`);
    expect(existsSync(expected)).toBe(true);
  });

  it('When a stage is unknown or one is missing, then it exits 2 with the reason', async () => {
    const unknown = await runScript('diff', ['--root', fake.root, '1', '7']);
    const missing = await runScript('diff', ['--root', fake.root, '1']);

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
      const run = await runScript('diff', [n, n]);

      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(
        `No differences between ${firstRealStage?.folder} and ${firstRealStage?.folder}.`,
      );
    },
  );
});
