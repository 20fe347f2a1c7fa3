import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './run-script.ts';

export interface FakeStage {
  folder: string;
  description?: string;
  needs?: string[];
  scripts?: Record<string, string>;
  /** extra package.json fields */
  pkg?: Record<string, unknown>;
  /** relative path → content */
  files?: Record<string, string | Buffer>;
  /** false: no link to our node_modules (the stage brings its own, in `files`) */
  linkNodeModules?: boolean;
}

export interface FakeRepo {
  root: string;
  cleanup(): void;
}

/**
 * A throwaway repo in the temp folder: `stages/<folder>/package.json` + files, and node_modules
 * links to ours so that tsx and vitest resolve. Not a git checkout, on purpose.
 */
export function createFakeRepo(
  stages: FakeStage[],
  rootFiles: Record<string, string> = {},
): FakeRepo {
  const root = mkdtempSync(join(tmpdir(), 'backend-path-fake-'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  const write = (path: string, content: string | Buffer) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  };
  for (const [path, content] of Object.entries(rootFiles)) write(join(root, path), content);
  for (const stage of stages) {
    const dir = join(root, 'stages', stage.folder);
    const pkg = {
      name: `@backend-path/stage-${stage.folder}`,
      version: '0.0.0',
      private: true,
      description: stage.description ?? `fake stage ${stage.folder}`,
      type: 'module',
      backendPath: { needs: stage.needs ?? [] },
      scripts: stage.scripts ?? { test: 'vitest run' },
      ...stage.pkg,
    };
    write(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    // like an installed stage: `pnpm run` puts only the package's own node_modules/.bin on PATH
    if (stage.linkNodeModules !== false) {
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    }
    for (const [path, content] of Object.entries(stage.files ?? {}))
      write(join(dir, path), content);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export const PASSING_TEST = `import { expect, test } from 'vitest';
test('When 1 + 1 is computed, then it is 2', () => {
  expect(1 + 1).toBe(2);
});
`;

export const FAILING_TEST = `import { expect, test } from 'vitest';
test('When 1 + 1 is computed, then it is 3 (wrong on purpose)', () => {
  expect(1 + 1).toBe(3);
});
`;
