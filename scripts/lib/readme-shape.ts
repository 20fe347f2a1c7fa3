import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { README_END, README_START } from './exercises.ts';
import type { Stage } from './stages.ts';

// One README shape, in the order a learner reads: what you will learn, run it, read it (a few
// files, one request end to end), try it, break it, why it matters; what an instructor needs
// (what changed since the stage before, the measurements) comes last. Every stage's README is
// held to it by scripts/test/readme-shape.test.ts, so a new section cannot push the lesson down.

/** The `##` sections every stage README has, in this order. */
export const REQUIRED = [
  'Run it',
  'Read it',
  'Try it',
  'Break it',
  'Why it matters',
  'For instructors',
];
/** Sections a README may add: where, and why they are not in REQUIRED. */
const OPTIONAL: Record<string, { after: string }> = {
  // How to run the suites, after trying the API by hand (stage 08's lesson is its tests).
  'Test it': { after: 'Try it' },
};
/** At most this many files under "Read it": one request end to end, not a file index. */
export const MAX_READ_IT = 8;
/** "You will learn" is three to five lines. */
const LEARN = { min: 3, max: 5 };
/** Everything above "Run it" (title, what you will learn): a learner sees it without scrolling. */
const MAX_INTRO_LINES = 25;
/** How the stages were written is not what a learner reads them for. */
const HISTORY = [
  /\bmerged onto\b/i,
  /\bwas wrong (once|twice|before)\b/i,
  /\bbuilt on stage \d+'s code\b/i,
  /\bearlier session\b/i,
];

export interface Section {
  title: string;
  /** 1-based line of its heading */
  line: number;
  body: string;
}

/** The `## ` sections of a markdown text, outside code fences. */
export function sections(markdown: string): { intro: string; sections: Section[] } {
  const lines = markdown.split('\n');
  const found: Section[] = [];
  const intro: string[] = [];
  let fenced = false;
  for (const [index, line] of lines.entries()) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^## (.+?)\s*$/.exec(line);
    if (heading?.[1]) found.push({ title: heading[1], line: index + 1, body: '' });
    else if (found.length === 0) intro.push(line);
    else {
      const current = found.at(-1);
      if (current) current.body += `${line}\n`;
    }
  }
  return { intro: intro.join('\n'), sections: found };
}

/** The paths named at the start of each numbered item of "Read it": `1. \`src/app.ts\` — …`. */
export function readItFiles(body: string): { files: string[]; items: number } {
  const items = body.split('\n').filter((line) => /^\d+\.\s/.test(line));
  const files = items.flatMap((item) => {
    const path = /^\d+\.\s+(?:\*\*)?`([^`]+)`/.exec(item)?.[1];
    return path ? [path] : [];
  });
  return { files, items: items.length };
}

/** What is wrong with this README's shape; [] when nothing is. `exists` is from the stage folder. */
export function readmeShapeProblems(
  markdown: string,
  exists: (path: string) => boolean,
  hasLabs = true,
): string[] {
  const problems: string[] = [];
  const { intro, sections: found } = sections(markdown);
  const titles = found.map((s) => s.title);

  // The order: every required section once, in order; an optional one only where it belongs.
  let last = -1;
  for (const title of REQUIRED) {
    const at = titles.indexOf(title);
    if (at === -1) problems.push(`no "## ${title}" section`);
    else if (titles.lastIndexOf(title) !== at) problems.push(`"## ${title}" appears twice`);
    else if (at < last) problems.push(`"## ${title}" comes before "## ${titles[last]}"`);
    else last = at;
  }
  const why = titles.indexOf('Why it matters');
  const instructors = titles.indexOf('For instructors');
  for (const [at, title] of titles.entries()) {
    if (REQUIRED.includes(title)) continue;
    const optional = OPTIONAL[title];
    if (optional) {
      if (at !== titles.indexOf(optional.after) + 1)
        problems.push(`"## ${title}" belongs right after "## ${optional.after}"`);
    } else if (!(why !== -1 && at > why && (instructors === -1 || at < instructors))) {
      problems.push(
        `"## ${title}" is not a section of the shape: make it part of "Why it matters" (a section after it, before "For instructors") or of another section`,
      );
    }
  }

  // The intro: a title, then what you will learn, in a few lines.
  if (!/^# Stage \d{2}: /.test(intro)) problems.push('the first line is not "# Stage NN: …"');
  const introLines = intro.trimEnd().split('\n').length;
  if (introLines > MAX_INTRO_LINES)
    problems.push(`${introLines} lines before "## Run it" (at most ${MAX_INTRO_LINES})`);
  const learn = /\*\*You will learn\*\*[^\n]*\n+((?:(?:\d+\.|-) [^\n]*\n(?: {2,}[^\n]*\n)*)+)/.exec(
    `${intro}\n`,
  );
  if (!learn?.[1]) problems.push('no "**You will learn**" list before "## Run it"');
  else {
    const count = learn[1].split('\n').filter((line) => /^(\d+\.|-) /.test(line)).length;
    if (count < LEARN.min || count > LEARN.max)
      problems.push(`"You will learn" has ${count} items (${LEARN.min}–${LEARN.max})`);
  }

  // Read it: a few files, in reading order, each one there.
  const readIt = found.find((s) => s.title === 'Read it');
  if (readIt) {
    const { files, items } = readItFiles(readIt.body);
    if (items === 0) problems.push('"Read it" has no numbered list of files');
    if (items > MAX_READ_IT)
      problems.push(`"Read it" lists ${items} files (at most ${MAX_READ_IT})`);
    if (files.length !== items)
      problems.push('every item of "Read it" starts with a file in backticks: 1. `src/app.ts` — …');
    for (const file of files) {
      if (!exists(file)) problems.push(`"Read it" names ${file}, which is not in this stage`);
    }
  }

  // Break it: the exercises' block (written by `pnpm exercise --readme`).
  const breakIt = found.find((s) => s.title === 'Break it');
  if (breakIt && !(breakIt.body.includes(README_START) && breakIt.body.includes(README_END)))
    problems.push(
      '"Break it" does not hold the exercises block (pnpm exercise --readme writes it)',
    );

  // For instructors: what changed, and the measurements with the Node they were taken on.
  const forInstructors = found.find((s) => s.title === 'For instructors');
  if (forInstructors) {
    if (!/^### What changed since\b/m.test(forInstructors.body))
      problems.push('"For instructors" has no "### What changed since stage NN"');
    const measurements = /^### Measurements\b[^\n]*\n([\s\S]*?)(?=^### |(?![\s\S]))/m.exec(
      forInstructors.body,
    );
    if (hasLabs) {
      if (!measurements) problems.push('"For instructors" has no "### Measurements"');
      else if (!/Node 24/.test(measurements[1] ?? ''))
        problems.push(
          '"### Measurements" does not say the Node its numbers were measured on (Node 24)',
        );
    }
  }

  for (const pattern of HISTORY) {
    const hit = pattern.exec(markdown);
    if (hit)
      problems.push(
        `authoring history ("${hit[0]}"): say what the code does, not how it was written`,
      );
  }
  return problems;
}

/** The shape problems of a stage's README. */
export function stageReadmeProblems(stage: Stage): string[] {
  const readme = readFileSync(join(stage.dir, 'README.md'), 'utf8');
  const hasLabs = Object.keys(stage.scripts).some((name) => /^(lab:|bench)/.test(name));
  return readmeShapeProblems(readme, (path) => existsSync(join(stage.dir, path)), hasLabs);
}
