import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage } from './stages.ts';

// A stage is a copy of the one before, so a file that names its stage keeps naming the old one
// unless someone notices: stage 10's Dockerfile built stage 09 for a while and every test agreed.
// These are the files that build, run or describe ONE stage; each must name that stage only.

/** `names stage 02 on purpose: …` in a file lets that file name stage 02 (a lab comparing with it). */
export const ON_PURPOSE = /names stage (\d{2}) on purpose\b/gi;

/** A stage named by folder, package, number (`stage-09`, `Stage 09`, `pnpm stage 9`). */
const REFERENCES: { kind: 'folder' | 'package' | 'number'; re: RegExp }[] = [
  { kind: 'folder', re: /\bstages\/(\d{2}-[a-z0-9][a-z0-9-]*)/g },
  { kind: 'package', re: /@backend-path\/(stage-\d{2}-[a-z0-9][a-z0-9-]*)/g },
  { kind: 'number', re: /\bstage[- ](\d{1,2})(?![\d-]*[a-z])/gi },
];

export interface NamedFile {
  /** from the stage folder */
  path: string;
  /** What of it is checked: the whole file, or the part that names the stage. */
  text: (content: string) => string;
  /** What it must name (when it exists). */
  requires: ('folder' | 'package' | 'number')[];
  /** A line it must have, given the stage (`# Stage 09: …`). */
  firstLine?: (stage: Stage) => RegExp;
}

const whole = (content: string) => content;
const pad = (n: number) => String(n).padStart(2, '0');

/** Its leading comment block (the header) and every line that starts it with `pnpm stage N`. */
function requestsHeader(content: string): string {
  const lines = content.split('\n');
  const end = lines.findIndex((line) => !line.startsWith('#'));
  const header = lines.slice(0, end === -1 ? lines.length : end);
  const starts = lines.slice(header.length).filter((line) => /\bpnpm stage\b/.test(line));
  return [...header, ...starts].join('\n');
}

export const NAMED_FILES: NamedFile[] = [
  { path: 'Dockerfile', text: whole, requires: ['folder', 'package', 'number'] },
  { path: 'Dockerfile.dockerignore', text: whole, requires: ['folder'] },
  { path: '.github-workflow.example.yml', text: whole, requires: ['folder', 'package', 'number'] },
  { path: 'docker-compose.yml', text: whole, requires: ['folder', 'number'] },
  { path: '.env.example', text: whole, requires: [] },
  {
    path: 'requests.http',
    text: requestsHeader,
    requires: ['folder', 'number'],
    firstLine: (stage) => new RegExp(`^# Stage ${pad(stage.number)}: `),
  },
  { path: 'scripts/image/image.test.ts', text: whole, requires: ['folder', 'number'] },
  {
    path: 'README.md',
    text: (content) => content.split('\n')[0] ?? '',
    requires: ['number'],
    firstLine: (stage) => new RegExp(`^# Stage ${pad(stage.number)}: `),
  },
];

function isOwn(stage: Stage, kind: 'folder' | 'package' | 'number', value: string): boolean {
  if (kind === 'folder') return value === stage.folder;
  if (kind === 'package') return `@backend-path/${value}` === stage.name;
  return Number(value) === stage.number;
}

/** The stage a reference names: `09-docker`, `stage-09-docker` and `9` all name stage 9. */
function stageNumber(value: string): number {
  return Number(/\d{1,2}/.exec(value)?.[0]);
}

/** The problems of one file's text, as `path:line message`; empty when it names only its stage. */
export function fileProblems(stage: Stage, file: NamedFile, content: string): string[] {
  const where = `stages/${stage.folder}/${file.path}`;
  const onPurpose = new Set([...content.matchAll(ON_PURPOSE)].map((m) => Number(m[1])));
  const text = file.text(content);
  const lines = content.split('\n');
  const problems: string[] = [];
  const found = new Set<string>();
  for (const line of text.split('\n')) {
    for (const { kind, re } of REFERENCES) {
      for (const match of line.matchAll(re)) {
        const value = match[1] ?? '';
        if (isOwn(stage, kind, value)) {
          found.add(kind);
          continue;
        }
        if (onPurpose.has(stageNumber(value))) continue;
        problems.push(
          `${where}:${lines.indexOf(line) + 1} names ${match[0]}, not stage ${pad(stage.number)} (${stage.folder}, ${stage.name}); ` +
            `if on purpose, say so: "names stage ${pad(stageNumber(value))} on purpose: why"`,
        );
      }
    }
  }
  for (const kind of file.requires) {
    if (found.has(kind)) continue;
    const own =
      kind === 'folder'
        ? `stages/${stage.folder}`
        : kind === 'package'
          ? stage.name
          : `stage ${pad(stage.number)}`;
    problems.push(`${where} never names its own ${kind} (${own})`);
  }
  const first = file.firstLine?.(stage);
  if (first && !first.test(text))
    problems.push(`${where}:1 must start with ${first.source.slice(1)}…`);
  return problems;
}

/** Every problem of every file of the stage that names a stage. */
export function stageNamingProblems(stage: Stage): string[] {
  return NAMED_FILES.flatMap((file) => {
    const path = join(stage.dir, file.path);
    return existsSync(path) ? fileProblems(stage, file, readFileSync(path, 'utf8')) : [];
  });
}
