import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeNeeds, discoverStages, findStage } from '../lib/stages.ts';
import { main } from '../stages.ts';
import { createFakeRepo } from './helpers/fake-repo.ts';
import { REPO_ROOT, runMain, runScript } from './helpers/run-script.ts';

const fake = createFakeRepo([
  { folder: '01-raw-http', description: 'node:http only' },
  { folder: '03-postgres', description: 'raw pg', needs: ['postgres'] },
  { folder: '07-redis', description: 'caching', needs: ['redis', 'postgres'] },
]);
// neither a folder without package.json nor one not named NN-slug is a stage
mkdirSync(join(fake.root, 'stages', '09-no-package-json'));
mkdirSync(join(fake.root, 'stages', 'notes'));
writeFileSync(join(fake.root, 'stages', 'notes', 'package.json'), '{}');
afterAll(() => fake.cleanup());

describe('pnpm stages', () => {
  it('When the repo has stages, then one row per stage shows number, folder, description and needs', async () => {
    const run = await runMain(main, ['--root', fake.root]);

    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/#\s+folder\s+description\s+needs/);
    expect(lines.slice(2)).toHaveLength(3);
    expect(lines[2]).toMatch(/^01\s+01-raw-http\s+node:http only\s+none$/);
    expect(lines[3]).toMatch(/^03\s+03-postgres\s+raw pg\s+Postgres$/);
    expect(lines[4]).toMatch(/^07\s+07-redis\s+caching\s+Postgres \+ Redis$/);
  });

  it('When the stages folder is empty, then it says there are no stages yet', async () => {
    const empty = createFakeRepo([]);
    try {
      const run = await runMain(main, ['--root', empty.root]);

      expect(run.code).toBe(0);
      expect(run.stdout).toContain('No stages yet');
    } finally {
      empty.cleanup();
    }
  });

  // In a process of its own, as `pnpm stages` runs it: the command's wiring, its default root.
  it('When run against this repo, then every stages/NN-slug folder with a package.json is listed', async () => {
    const run = await runScript('stages', []);

    expect(run.code).toBe(0);
    for (const stage of discoverStages(REPO_ROOT)) expect(run.stdout).toContain(stage.folder);
  });

  it('When called with --help, then it prints its usage and exits 0', async () => {
    const run = await runMain(main, ['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: pnpm stages');
  });
});

describe('lib/stages', () => {
  const stages = discoverStages(fake.root);

  it('When stages are discovered, then only NN-slug folders with a package.json count, in order', () => {
    expect(stages.map((stage) => stage.folder)).toEqual(['01-raw-http', '03-postgres', '07-redis']);
    expect(stages[2]).toMatchObject({
      number: 7,
      name: '@backend-path/stage-07-redis',
      dir: join(fake.root, 'stages', '07-redis'),
      needs: ['postgres', 'redis'],
    });
  });

  it.each(['3', '03', '03-postgres', 'stages/03-postgres/'])(
    'When the stage argument is "%s", then it finds stage 03',
    (arg) => {
      expect(findStage(stages, arg).folder).toBe('03-postgres');
    },
  );

  it.each(['4', '03-orm', 'three', ''])(
    'When the stage argument is "%s", then the error lists the stages there are',
    (arg) => {
      expect(() => findStage(stages, arg)).toThrow(
        /Stages in this checkout: 01-raw-http, 03-postgres, 07-redis/,
      );
    },
  );

  it('When needs are described, then they read none / Postgres / Redis / Postgres + Redis', () => {
    expect(describeNeeds([])).toBe('none');
    expect(describeNeeds(['postgres'])).toBe('Postgres');
    expect(describeNeeds(['redis'])).toBe('Redis');
    expect(describeNeeds(['postgres', 'redis'])).toBe('Postgres + Redis');
  });
});
