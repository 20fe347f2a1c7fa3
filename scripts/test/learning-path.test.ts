import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// LEARNING_PATH.md maps every concept of the guide to the stage that teaches it, a file to read and
// a test that proves it. Those are names of files and tests that change; this test is what keeps the
// map from going stale: a renamed file or test, or a concept dropped from the list, fails it.

const ROOT = new URL('../../', import.meta.url);
const HEADING = '## Concepts → where they are taught and proved';

/** The concepts issue 18 asks for; an entry's bold name must start with each one (any case). */
const REQUIRED_CONCEPTS = [
  'status codes as contracts',
  'headers',
  'the request lifecycle',
  'the event loop',
  'sql first',
  'indexes and explain',
  'transactions',
  'n+1',
  'redis',
  'passwords',
  'jwt',
  'owasp',
  'rest conventions',
  'envelopes',
  'pagination',
  'versioning',
  'layers',
  'the global error handler',
  'validation',
  'config',
  'logging',
  'rate limiting',
  'idempotency',
  'graceful shutdown',
  'health checks',
];

interface Files {
  exists(path: string): boolean;
  read(path: string): string;
}

const repoFiles: Files = {
  exists: (path) => existsSync(new URL(path, ROOT)),
  read: (path) => readFileSync(new URL(path, ROOT), 'utf8'),
};

interface Entry {
  concept: string;
  stage: string | undefined;
  reads: string[];
  proofs: { file: string; name: string }[];
}

/** The section's bullets: `- **Concept** — [stage](stages/stage): read `path`; proved by `test` › "name".` */
function parseConcepts(markdown: string): Entry[] | undefined {
  const start = markdown.indexOf(`\n${HEADING}\n`);
  if (start === -1) return undefined;
  const section = markdown.slice(start + HEADING.length + 2).split(/\n## /)[0] ?? '';

  // A bullet may wrap: its continuation lines are indented.
  const bullets: string[] = [];
  for (const line of section.split('\n')) {
    if (line.startsWith('- ')) bullets.push(line);
    else if (/^\s+\S/.test(line) && bullets.length > 0)
      bullets[bullets.length - 1] += ` ${line.trim()}`;
  }

  return bullets.map((bullet) => {
    const proofs = [...bullet.matchAll(/`([^`]+)` › "([^"]+)"/g)].map(([, file, name]) => ({
      file: file as string,
      name: name as string,
    }));
    const proofFiles = new Set(proofs.map((proof) => proof.file));
    return {
      concept: bullet.match(/\*\*(.+?)\*\*/)?.[1] ?? '',
      stage: bullet.match(/\]\(stages\/([^)/]+)\)/)?.[1],
      reads: [...bullet.matchAll(/`(stages\/[^`]+)`/g)]
        .map(([, path]) => path as string)
        .filter((path) => !proofFiles.has(path)),
      proofs,
    };
  });
}

/**
 * The titles a test file gives its tests: every string literal that is the first argument of a call
 * (`it('…'`, `it.each(…)('…'`, `it(\n  '…'`), escapes undone.
 */
function testTitles(source: string): string[] {
  return [...source.matchAll(/\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)].map(([, , body]) =>
    (body as string).replace(/\\(.)/g, '$1'),
  );
}

/** A title as a pattern: `${…}`, `%s`/`%i`/`%c`/…, and `$name` (it.each over objects) match any text. */
function titlePattern(title: string): RegExp {
  const parts = title.split(/(\$\{[^}]*\}|%[sdifjoOc]|\$[A-Za-z_][\w.]*)/);
  const pattern = parts
    .map((part, index) => (index % 2 === 1 ? '.+?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`, 's');
}

function hasTest(source: string, name: string): boolean {
  return testTitles(source).some((title) => titlePattern(title).test(name));
}

/** Every problem with the section, as a line a reader can act on; [] when it holds. */
function checkLearningPath(markdown: string, required: string[], files: Files): string[] {
  const entries = parseConcepts(markdown);
  if (!entries) return [`no section "${HEADING}"`];
  const problems: string[] = [];

  for (const { concept, stage, reads, proofs } of entries) {
    const where = `"${concept || '(no bold concept name)'}"`;
    if (!stage) problems.push(`${where}: no stage link [NN-name](stages/NN-name)`);
    else if (!files.exists(`stages/${stage}/package.json`))
      problems.push(`${where}: no stage ${stage}`);
    if (reads.length === 0) problems.push(`${where}: no file to read`);
    if (proofs.length === 0) problems.push(`${where}: no test › "name"`);

    for (const path of [...reads, ...proofs.map((proof) => proof.file)]) {
      if (stage && !path.startsWith(`stages/${stage}/`))
        problems.push(`${where}: ${path} is not in stages/${stage}/`);
      if (!files.exists(path)) problems.push(`${where}: ${path} does not exist`);
    }
    for (const { file, name } of proofs) {
      if (files.exists(file) && !hasTest(files.read(file), name)) {
        problems.push(`${where}: ${file} has no test "${name}"`);
      }
    }
  }

  const concepts = entries.map((entry) => entry.concept.toLowerCase());
  for (const concept of required) {
    if (!concepts.some((name) => name.startsWith(concept)))
      problems.push(`concept "${concept}" is missing`);
  }
  return problems;
}

describe('LEARNING_PATH.md concepts', () => {
  const learningPath = repoFiles.read('LEARNING_PATH.md');

  it('When every concept is checked, then each names a stage, files that exist and tests that exist by name', () => {
    const entries = parseConcepts(learningPath) ?? [];

    expect(entries.length).toBeGreaterThanOrEqual(REQUIRED_CONCEPTS.length);
    expect(checkLearningPath(learningPath, REQUIRED_CONCEPTS, repoFiles)).toEqual([]);
  });

  it('When a referenced test is renamed in its file, then the check names the entry, the file and the old name', () => {
    const file = 'stages/03-postgres/test/tickets/tickets.transaction.test.ts';
    const name = 'When the activity insert fails after the ticket update, then nothing changed';
    expect(learningPath).toContain(`\`${file}\` › "${name}"`);
    // a scratch copy of the repository in which that one test got another title
    const renamed: Files = {
      exists: repoFiles.exists,
      read: (path) =>
        path === file
          ? repoFiles.read(path).replace(name, 'When the activity fails, then nothing')
          : repoFiles.read(path),
    };

    expect(checkLearningPath(learningPath, REQUIRED_CONCEPTS, renamed)).toEqual([
      `"Transactions": ${file} has no test "${name}"`,
    ]);
  });

  it('When a referenced file is gone, then the check names it', () => {
    const gone = 'stages/03-postgres/src/db/transaction.ts';
    const files: Files = {
      exists: (path) => path !== gone && repoFiles.exists(path),
      read: repoFiles.read,
    };

    expect(checkLearningPath(learningPath, REQUIRED_CONCEPTS, files)).toEqual([
      `"Transactions": ${gone} does not exist`,
    ]);
  });
});

describe('the learning-path check on small fixtures', () => {
  const section = (...bullets: string[]) =>
    `# Learning path\n\n${HEADING}\n\n### Group\n\n${bullets.join('\n')}\n`;
  const TEST_SOURCE = [
    "it('When the body is valid, then 201', () => {});",
    'it.each([1, 2])(',
    "  'When %s is sent, then 404',",
    '  () => {},',
    ');',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture is source text holding a template title
    'it(`When ${COUNT} requests race, then one wins`, () => {});',
    "it('When the user\\'s token expired, then 401', () => {});",
  ].join('\n');
  const fixtureFiles: Files = {
    exists: (path) =>
      [
        'stages/01-x/package.json',
        'stages/01-x/src/a.ts',
        'stages/01-x/test/a.test.ts',
        'stages/02-y/package.json',
      ].includes(path),
    read: () => TEST_SOURCE,
  };
  const entry = (
    name: string,
    read = 'stages/01-x/src/a.ts',
    test = 'stages/01-x/test/a.test.ts',
  ) =>
    `- **Status codes as contracts** — [01-x](stages/01-x): read \`${read}\`;\n  proved by \`${test}\` › "${name}".`;
  const check = (markdown: string) =>
    checkLearningPath(markdown, ['status codes as contracts'], fixtureFiles);

  it('When the entry is right, then no problem, with literal, %s, template and escaped titles alike', () => {
    for (const name of [
      'When the body is valid, then 201',
      'When /nope is sent, then 404',
      'When 50 requests race, then one wins',
      "When the user's token expired, then 401",
    ]) {
      expect(check(section(entry(name))), name).toEqual([]);
    }
  });

  it('When the test name is not in the file (renamed, or only a part of a title), then a problem names it', () => {
    expect(check(section(entry('When the body is fine, then 201')))).toEqual([
      '"Status codes as contracts": stages/01-x/test/a.test.ts has no test "When the body is fine, then 201"',
    ]);
    expect(check(section(entry('When the body is valid')))).toHaveLength(1);
  });

  it('When the file to read or the test file does not exist, then a problem names the path', () => {
    expect(
      check(section(entry('When the body is valid, then 201', 'stages/01-x/src/b.ts'))),
    ).toEqual(['"Status codes as contracts": stages/01-x/src/b.ts does not exist']);
    expect(
      check(
        section(entry('When the body is valid, then 201', undefined, 'stages/01-x/test/b.test.ts')),
      ),
    ).toEqual(['"Status codes as contracts": stages/01-x/test/b.test.ts does not exist']);
  });

  it('When a path lies in another stage than the entry names, then a problem says so', () => {
    const markdown = section(
      entry('When the body is valid, then 201').replace('(stages/01-x)', '(stages/02-y)'),
    );

    expect(check(markdown)).toEqual([
      '"Status codes as contracts": stages/01-x/src/a.ts is not in stages/02-y/',
      '"Status codes as contracts": stages/01-x/test/a.test.ts is not in stages/02-y/',
    ]);
  });

  it('When a required concept has no entry, or the section is gone, then a problem says which', () => {
    const markdown = section(
      entry('When the body is valid, then 201').replace('Status codes as contracts', 'Codes'),
    );

    expect(check(markdown)).toEqual(['concept "status codes as contracts" is missing']);
    expect(check('# Learning path\n')).toEqual([`no section "${HEADING}"`]);
  });
});
