import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fileProblems,
  NAMED_FILES,
  type NamedFile,
  stageNamingProblems,
} from '../lib/stage-naming.ts';
import { discoverStages, type Stage } from '../lib/stages.ts';
import { REPO_ROOT } from './helpers/run-script.ts';

// Every file that builds, runs or describes a stage names that stage, and no other: the real
// stages first (what CI holds the repository to), then the check itself on small texts.
const stages = discoverStages(REPO_ROOT);

describe('the files that name a stage', () => {
  it.each(stages.map((stage) => [stage.folder, stage] as const))(
    'When stages/%s is read, then its Dockerfile, ignore file, workflow, compose file, .env.example, requests.http header, image test and README title name it and no other stage',
    (_folder, stage) => {
      expect(stageNamingProblems(stage)).toEqual([]);
    },
  );

  it('When stages 09 and 10 are read, then every file the check knows is there (a renamed file would be skipped silently)', () => {
    const shipping = stages.filter((stage) => stage.number >= 9);

    expect(shipping.map((stage) => stage.folder)).toEqual(['09-docker', '10-production']);
    for (const stage of shipping) {
      for (const file of NAMED_FILES) {
        expect(existsSync(join(stage.dir, file.path)), `${stage.folder}/${file.path}`).toBe(true);
      }
    }
  });
});

describe('stage-naming check', () => {
  const stage: Stage = {
    number: 10,
    folder: '10-production',
    dir: '/nowhere',
    name: '@backend-path/stage-10-production',
    description: '',
    needs: [],
    scripts: {},
  };
  const file = (path: string): NamedFile => {
    const found = NAMED_FILES.find((named) => named.path === path);
    if (!found) throw new Error(`no checked file ${path}`);
    return found;
  };

  it("When stage 10's Dockerfile copies stage 09's folder and package, then each line is named", () => {
    const dockerfile = [
      '# The API of stage 10 as a production image.',
      'COPY stages/09-docker/package.json stages/10-production/',
      'RUN pnpm --filter @backend-path/stage-09-docker build',
      'RUN pnpm --filter @backend-path/stage-10-production build',
    ].join('\n');

    const problems = fileProblems(stage, file('Dockerfile'), dockerfile);

    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^stages\/10-production\/Dockerfile:2 names stages\/09-docker/);
    expect(problems[1]).toMatch(/Dockerfile:3 names @backend-path\/stage-09-docker/);
  });

  it('When a Dockerfile names only its own stage but never its package, then that is a problem too', () => {
    const problems = fileProblems(
      stage,
      file('Dockerfile'),
      'COPY stages/10-production/ .\n# stage 10\n',
    );

    expect(problems).toEqual([
      'stages/10-production/Dockerfile never names its own package (@backend-path/stage-10-production)',
    ]);
  });

  it('When a requests.http header says "Stage 06 … pnpm stage 6", then both lines are named; its body is not read', () => {
    const requests = [
      "# Stage 06: stage 05's requests",
      '#   pnpm stage 6',
      '#   cd stages/10-production && npx httpyac send requests.http --all',
      '',
      '# ─── Stage 07: Redis ───',
      'GET {{base}}/tickets',
    ].join('\n');

    const problems = fileProblems(stage, file('requests.http'), requests);

    expect(problems).toEqual([
      expect.stringMatching(/requests\.http:1 names Stage 06,/),
      expect.stringMatching(/requests\.http:1 names stage 05,/),
      expect.stringMatching(/requests\.http:2 names stage 6,/),
      'stages/10-production/requests.http never names its own number (stage 10)',
      'stages/10-production/requests.http:1 must start with # Stage 10: …',
    ]);
  });

  it('When a `pnpm stage N` line further down names another stage, then it is named', () => {
    const requests = '# Stage 10: x\n# cd stages/10-production\n\n# run pnpm stage 9 first\n';

    expect(fileProblems(stage, file('requests.http'), requests)).toEqual([
      expect.stringMatching(/requests\.http:4 names stage 9,/),
    ]);
  });

  it('When a file compares with another stage and says so in the marked comment, then that stage is accepted, and only it', () => {
    const env = [
      '# names stage 02 on purpose: the lab measures this stage against stage 02 (stages/02-express)',
      '# `pnpm stage 10` runs it; stage 09 is not mentioned on purpose',
    ].join('\n');

    const problems = fileProblems(stage, file('.env.example'), env);

    expect(problems).toEqual([expect.stringMatching(/\.env\.example:2 names stage 09,/)]);
  });

  it('When an image tag, a compose project or a package name carries the number, then the number is checked', () => {
    const compose = [
      'name: backend-path-stage-09',
      '    dockerfile: stages/10-production/Dockerfile',
      '  image: backend-path/stage-10:local',
    ].join('\n');

    expect(fileProblems(stage, file('docker-compose.yml'), compose)).toEqual([
      expect.stringMatching(/docker-compose\.yml:1 names stage-09,/),
    ]);
  });

  it('When a README title names its stage, then it passes; another number fails', () => {
    expect(fileProblems(stage, file('README.md'), '# Stage 10: Production\n\nStage 09 …')).toEqual(
      [],
    );
    expect(fileProblems(stage, file('README.md'), '# Stage 09: Shipping\n')).toHaveLength(3);
  });
});
