import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');

describe('pnpm-workspace.yaml catalog', () => {
  it("When it names Prisma's packages, then all of them have one version", () => {
    const catalog =
      read('pnpm-workspace.yaml')
        .split(/^catalog:$/m)[1]
        ?.split(/\n\n/)[0] ?? '';
    const versions = [...catalog.matchAll(/^ {2}"?(prisma|@prisma\/[\w-]+)"?: (\S+)$/gm)].map(
      ([, name, version]) => `${name}@${version}`,
    );

    expect(versions.length).toBeGreaterThanOrEqual(3);
    expect(new Set(versions.map((entry) => entry.split('@').pop()))).toHaveProperty('size', 1);
  });
});

describe('.github/workflows/ci.yml', () => {
  it('When package.json allows a Node major, then CI tests the oldest one it allows', () => {
    const engines = JSON.parse(read('package.json')).engines.node as string;
    const oldest = engines.match(/>=\s*(\d+)/)?.[1];
    const matrix = read('.github/workflows/ci.yml').match(/^\s+node: \[([^\]]*)\]$/m)?.[1];

    expect(oldest).toBeDefined();
    expect(matrix?.split(',').map((major) => major.trim())).toContain(oldest);
  });
});

describe('the Node and pnpm the repository pins', () => {
  it('When package.json pins pnpm (packageManager), then .ci/run, the doctor and the README install that version', () => {
    const pinned = JSON.parse(read('package.json')).packageManager as string;

    expect(pinned).toMatch(/^pnpm@10\.\d+\.\d+$/);
    for (const file of ['.ci/run', 'scripts/lib/checks.ts', 'README.md']) {
      expect(read(file), file).toContain(`npm i -g ${pinned}`);
      expect(read(file), file).not.toMatch(/corepack enable/);
    }
  });

  it('When .nvmrc names a Node major, then .ci/run fetches a release of that major, and engines allows it', () => {
    const major = read('.nvmrc').trim();
    const fetched = read('.ci/run').match(/^NODE_VERSION=(\d+)\.\d+\.\d+$/m)?.[1];
    const oldest = JSON.parse(read('package.json')).engines.node.match(/>=\s*(\d+)/)?.[1];

    expect(fetched).toBe(major);
    expect(Number(oldest)).toBeLessThanOrEqual(Number(major));
  });

  it('When a package declares engines, then it allows the same Node as the root', () => {
    const root = JSON.parse(read('package.json')).engines.node;
    const packages = [
      'shared/package.json',
      ...readdirSync(new URL('stages/', ROOT)).map((folder) => `stages/${folder}/package.json`),
    ];

    for (const file of packages) {
      expect(JSON.parse(read(file)).engines?.node, file).toBe(root);
    }
  });
});

describe('README.md and LEARNING_PATH.md', () => {
  const folders = readdirSync(new URL('stages/', ROOT), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

  it.each([
    ['README.md', (folder: string) => `[stages/${folder}](stages/${folder})`],
    ['LEARNING_PATH.md', (folder: string) => `[${folder}](stages/${folder})`],
  ])('When a stage folder exists, then %s links it in its table of stages', (file, link) => {
    const rows = read(file)
      .split('\n')
      .filter((line) => line.startsWith('|'));

    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) {
      expect(
        rows.some((row) => row.includes(link(folder))),
        `${file}: no row links ${folder}`,
      ).toBe(true);
    }
  });
});
