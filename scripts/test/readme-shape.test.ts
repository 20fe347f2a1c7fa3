import { describe, expect, it } from 'vitest';
import { readmeShapeProblems, stageReadmeProblems } from '../lib/readme-shape.ts';
import { discoverStages } from '../lib/stages.ts';
import { REPO_ROOT } from './helpers/run-script.ts';

// Every stage README in the learner's order (scripts/lib/readme-shape.ts says why each rule is
// there): the real READMEs first, then the check itself on small texts.
const stages = discoverStages(REPO_ROOT);

describe('the stage READMEs', () => {
  it.each(stages.map((stage) => [stage.folder, stage] as const))(
    'When stages/%s/README.md is read, then it has the learner-first shape and every file under "Read it" exists',
    (_folder, stage) => {
      expect(stageReadmeProblems(stage)).toEqual([]);
    },
  );
});

describe('readme-shape check', () => {
  const BLOCK =
    '<!-- exercises: written by `pnpm exercise --readme`, do not edit -->\n\n- one\n\n<!-- /exercises -->';
  const good = (changes: Partial<Record<string, string>> = {}) =>
    [
      changes.intro ??
        '# Stage 03: PostgreSQL\n\n**You will learn**\n\n1. migrations\n2. indexes\n3. transactions\n',
      '## Run it\n\npnpm stage 3\n',
      changes.readIt ?? '## Read it\n\n1. `src/app.ts` — the app\n2. `src/db/pool.ts` — the pool\n',
      '## Try it\n\nrequests.http\n',
      changes.extra ?? '',
      `## Break it\n\n${BLOCK}\n`,
      '## Why it matters\n\nBecause.\n',
      changes.after ?? '',
      changes.instructors ??
        '## For instructors\n\n### What changed since stage 02\n\nA table.\n\n### Measurements\n\nOn Node 24: `pnpm lab:explain`.\n',
    ].join('\n');
  const everything = () => true;

  it('When the README has every section in order, then there is no problem', () => {
    expect(readmeShapeProblems(good(), everything)).toEqual([]);
  });

  it('When "Test it" follows "Try it" and a lesson section follows "Why it matters", then both are allowed', () => {
    const readme = good({
      extra: '## Test it\n\npnpm test\n',
      after: '## The error catalogue\n\nCodes.\n',
    });

    expect(readmeShapeProblems(readme, everything)).toEqual([]);
  });

  it('When "What changed" opens the README, as it used to, then the order and the stray section are named', () => {
    const readme = good({
      intro:
        '# Stage 03: PostgreSQL\n\n**You will learn**\n\n1. a\n2. b\n3. c\n\n## What changed since stage 02\n\nTables.\n',
    });

    expect(readmeShapeProblems(readme, everything)).toContain(
      '"## What changed since stage 02" is not a section of the shape: make it part of "Why it matters" (a section after it, before "For instructors") or of another section',
    );
  });

  it('When sections come out of order, then the one out of place is named', () => {
    const readme = good().replace('## Read it', '## Read later').replace('## Try it', '## Read it');

    expect(readmeShapeProblems(readme, everything)).toEqual(
      expect.arrayContaining([
        '"## Read later" is not a section of the shape: make it part of "Why it matters" (a section after it, before "For instructors") or of another section',
      ]),
    );
  });

  it('When "Read it" lists nine files, or one that is not there, or an item without a file, then each is named', () => {
    const nine = Array.from({ length: 9 }, (_, i) => `${i + 1}. \`src/f${i}.ts\` — f`).join('\n');
    const missing = (path: string) => path !== 'src/f8.ts';

    expect(readmeShapeProblems(good({ readIt: `## Read it\n\n${nine}\n` }), missing)).toEqual([
      '"Read it" lists 9 files (at most 8)',
      '"Read it" names src/f8.ts, which is not in this stage',
    ]);
    expect(
      readmeShapeProblems(
        good({ readIt: '## Read it\n\n1. the app, then the pool\n' }),
        everything,
      ),
    ).toEqual(['every item of "Read it" starts with a file in backticks: 1. `src/app.ts` — …']);
  });

  it('When "You will learn" is missing or has seven items, then it is named', () => {
    const seven = Array.from({ length: 7 }, (_, i) => `- item ${i}`).join('\n');

    expect(
      readmeShapeProblems(good({ intro: '# Stage 03: PostgreSQL\n\nIntro.\n' }), everything),
    ).toEqual(['no "**You will learn**" list before "## Run it"']);
    expect(
      readmeShapeProblems(
        good({ intro: `# Stage 03: PostgreSQL\n\n**You will learn**\n\n${seven}\n` }),
        everything,
      ),
    ).toEqual(['"You will learn" has 7 items (3–5)']);
  });

  it('When the measurements do not name the Node, or "Break it" has no exercise block, then each is named', () => {
    const readme = good({
      instructors:
        '## For instructors\n\n### What changed since stage 02\n\nA table.\n\n### Measurements\n\n40 ms.\n',
    }).replace(BLOCK, 'Remove the lock.');

    expect(readmeShapeProblems(readme, everything)).toEqual([
      '"Break it" does not hold the exercises block (pnpm exercise --readme writes it)',
      '"### Measurements" does not say the Node its numbers were measured on (Node 24)',
    ]);
  });

  it('When the README tells how it was written, then that is named', () => {
    const readme = good({ after: '## Notes\n\nThe lab was wrong twice.\n' }).replace(
      '## Notes\n',
      '### Notes\n',
    );

    expect(readmeShapeProblems(readme, everything)).toEqual([
      'authoring history ("was wrong twice"): say what the code does, not how it was written',
    ]);
  });

  it('When a code block holds a line starting with "## ", then it is not a section', () => {
    const readme = good({ extra: '' }).replace('pnpm stage 3', '```sh\n## not a heading\n```');

    expect(readmeShapeProblems(readme, everything)).toEqual([]);
  });
});
