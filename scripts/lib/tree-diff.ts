import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { diffLines, type StructuredPatchHunk, structuredPatch } from 'diff';

/** Build output, installs, local data and lockfiles: never part of a lesson. */
const NOISE_DIRS = new Set([
  'node_modules',
  'dist',
  'coverage',
  '.data',
  'generated',
  'lab-results',
  '.git',
]);
/** Folders that are noise only at a stage's top: Stryker's report and work folder (src/reports/ is code). */
const NOISE_TOP_DIRS = new Set(['reports', '.stryker-tmp']);
const NOISE_FILES =
  /(\.tsbuildinfo|\.log|^pnpm-lock\.yaml|^package-lock\.json|^yarn\.lock|^bun\.lockb?|^\.env|^\.DS_Store)$/;

export interface FileDiff {
  /** The file's path in b (in a, for a deleted file). */
  path: string;
  /** A renamed file's path in a. */
  oldPath?: string;
  status: 'added' | 'deleted' | 'modified' | 'renamed';
  /** Renamed: how much of the file is unchanged, 0–100 (git's "similarity index"). */
  similarity?: number;
  binary: boolean;
  /** Prose (`*.md`): the lesson's text, not its code. */
  docs: boolean;
  /** Bytes and lines of the file in b (in a, for a deleted file). */
  bytes: number;
  lines: number;
  hunks: StructuredPatchHunk[];
  added: number;
  removed: number;
}

/** A deleted and an added file (same extension) this similar are a rename (see similarity()). */
export const RENAME_SIMILARITY = 50;
// Prose a stage writes for itself, not code it carries: the README, and its break-it exercises
// (each stage ships exercises about its own lesson, so the next stage does not carry them).
export const isDocs = (path: string) => /\.md$/i.test(path) || path.startsWith('exercises/');

export function listFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) {
      const noise = NOISE_DIRS.has(entry.name) || (dir === base && NOISE_TOP_DIRS.has(entry.name));
      return noise ? [] : listFiles(join(dir, entry.name), base);
    }
    if (!entry.isFile() || NOISE_FILES.test(entry.name)) return [];
    return [relative(base, join(dir, entry.name)).split(sep).join('/')];
  });
}

/** Like git: a NUL byte in the first 8000 bytes means binary. */
function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

/** Every stage has its own package name; b gets a's name line so that it does not show as a change. */
function sameNameLine(before: string, after: string): string {
  const nameLine = /^\s*"name"\s*:.*$/m;
  const original = before.match(nameLine)?.[0];
  return original === undefined ? after : after.replace(nameLine, () => original);
}

/** What diffTrees counts as no change: the same bytes, or package.json files that differ only in their name. */
export function unchanged(path: string, before: Buffer, after: Buffer): boolean {
  if (before.equals(after)) return true;
  if (!path.endsWith('package.json') || isBinary(before) || isBinary(after)) return false;
  const oldText = before.toString('utf8');
  return sameNameLine(oldText, after.toString('utf8')) === oldText;
}

/** What changes from folder a to folder b, file by file, sorted by path, noise filtered out. */
export function diffTrees(a: string, b: string, context = 3): FileDiff[] {
  const paths = [...new Set([...listFiles(a), ...listFiles(b)])].sort();
  const diffs: FileDiff[] = [];
  for (const path of paths) {
    const before = existsSync(join(a, path)) ? readFileSync(join(a, path)) : null;
    const after = existsSync(join(b, path)) ? readFileSync(join(b, path)) : null;
    if (before && after && unchanged(path, before, after)) continue;
    const diff = diffFile(path, path, before, after, context);
    if (diff) diffs.push(diff);
  }
  return detectRenames(diffs, a, b, context);
}

function diffFile(
  oldPath: string,
  path: string,
  before: Buffer | null,
  after: Buffer | null,
  context: number,
): FileDiff | null {
  const status = before === null ? 'added' : after === null ? 'deleted' : 'modified';
  const content = after ?? before ?? Buffer.alloc(0);
  const size = {
    bytes: content.length,
    lines: content.toString('utf8').split('\n').length - (content.at(-1) === 10 ? 1 : 0),
    docs: isDocs(path),
  };
  if ((before && isBinary(before)) || (after && isBinary(after))) {
    return { path, status, binary: true, ...size, hunks: [], added: 0, removed: 0 };
  }
  const oldText = before?.toString('utf8') ?? '';
  let newText = after?.toString('utf8') ?? '';
  if (path.endsWith('package.json') && before && after) newText = sameNameLine(oldText, newText);
  if (status === 'modified' && oldText === newText) return null;
  const { hunks } = structuredPatch(oldPath, path, oldText, newText, '', '', { context });
  const count = (sign: string) =>
    hunks.reduce((n, hunk) => n + hunk.lines.filter((line) => line.startsWith(sign)).length, 0);
  return { path, status, binary: false, ...size, hunks, added: count('+'), removed: count('-') };
}

/**
 * How much of a's file lives on in b's: its unchanged lines, in percent of a's lines. Git divides
 * by the larger file instead, so a file that moved AND grew (the lesson added to it) drops below
 * git's 50% and shows as a delete plus an add; for a reader, where a's file went is the point.
 */
function similarity(oldText: string, newText: string): number {
  const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const lines = lineCount(oldText);
  if (lines === 0) return 0;
  const same = diffLines(oldText, newText)
    .filter((part) => !part.added && !part.removed)
    .reduce((n, part) => n + (part.count ?? 0), 0);
  return Math.floor((same / lines) * 100);
}

/**
 * A file deleted from a and one added in b that are mostly the same file become one rename, with
 * the diff between them (01→02: tickets.store.ts → tickets.repository.ts). Most similar pairs first.
 */
function detectRenames(diffs: FileDiff[], a: string, b: string, context: number): FileDiff[] {
  const text = (dir: string, d: FileDiff) => readFileSync(join(dir, d.path), 'utf8');
  const deleted = diffs.filter((d) => d.status === 'deleted' && !d.binary);
  const added = diffs.filter((d) => d.status === 'added' && !d.binary);
  const extension = (path: string) => /\.[^./]*$/.exec(path)?.[0] ?? '';
  const pairs = deleted.flatMap((from) =>
    added
      .filter((to) => extension(to.path) === extension(from.path))
      .map((to) => ({ from, to, score: similarity(text(a, from), text(b, to)) })),
  );
  pairs.sort((x, y) => y.score - x.score || x.from.path.localeCompare(y.from.path));
  const used = new Set<FileDiff>();
  const renames = new Map<FileDiff, FileDiff>();
  for (const { from, to, score } of pairs) {
    if (score < RENAME_SIMILARITY || used.has(from) || used.has(to)) continue;
    used.add(from).add(to);
    const oldBytes = readFileSync(join(a, from.path));
    const newBytes = readFileSync(join(b, to.path));
    // null: moved without a change (a pure rename, nothing to show but the header)
    const diff = diffFile(from.path, to.path, oldBytes, newBytes, context) ?? {
      ...to,
      hunks: [],
      added: 0,
      removed: 0,
    };
    renames.set(to, { ...diff, status: 'renamed', oldPath: from.path, similarity: score });
  }
  return diffs.filter((d) => !used.has(d) || renames.has(d)).map((d) => renames.get(d) ?? d);
}

/** What a reader sees by default: the code; prose and files b does not carry, one line each. */
export interface DiffView {
  code: FileDiff[];
  /** `*.md` changes: one summary line unless `--docs`. */
  docs: FileDiff[];
  /** Files of a that b does not carry (and no rename explains): a line each, with their size. */
  notCarried: FileDiff[];
}

export function splitForReading(diffs: FileDiff[], options: { docs?: boolean } = {}): DiffView {
  const notCarried = diffs.filter((d) => d.status === 'deleted');
  const rest = diffs.filter((d) => d.status !== 'deleted');
  if (options.docs) return { code: rest, docs: [], notCarried };
  return {
    code: rest.filter((d) => !d.docs),
    docs: rest.filter((d) => d.docs),
    notCarried,
  };
}

export function formatSize(d: FileDiff): string {
  const size = d.bytes < 1024 ? `${d.bytes} B` : `${(d.bytes / 1024).toFixed(1)} kB`;
  return d.binary ? size : `${size}, ${d.lines} line${d.lines === 1 ? '' : 's'}`;
}

/**
 * A git-style patch (what diff2html and every diff viewer read). `binaryLine` says what to write for
 * a binary file; git's own wording by default.
 */
export function formatPatch(
  diffs: FileDiff[],
  binaryLine = (d: FileDiff) => `Binary files ${oldName(d)} and ${newName(d)} differ`,
): string {
  const out: string[] = [];
  for (const d of diffs) {
    out.push(`diff --git a/${d.oldPath ?? d.path} b/${d.path}`);
    if (d.status === 'added') out.push('new file mode 100644');
    if (d.status === 'deleted') out.push('deleted file mode 100644');
    if (d.status === 'renamed') {
      out.push(`similarity index ${d.similarity}%`);
      out.push(`rename from ${d.oldPath}`, `rename to ${d.path}`);
    }
    if (d.binary) {
      out.push(binaryLine(d));
      continue;
    }
    if (d.hunks.length === 0) continue; // an empty file added or deleted
    out.push(`--- ${oldName(d)}`, `+++ ${newName(d)}`);
    for (const hunk of d.hunks) {
      out.push(
        `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`,
      );
      out.push(...hunk.lines);
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

function oldName(d: FileDiff): string {
  return d.status === 'added' ? '/dev/null' : `a/${d.oldPath ?? d.path}`;
}

function newName(d: FileDiff): string {
  return d.status === 'deleted' ? '/dev/null' : `b/${d.path}`;
}

function range(start: number, lines: number): string {
  // unified diff convention: an empty side starts at the line *before* it (0 for a new file)
  return lines === 1 ? String(start) : `${lines === 0 ? Math.max(start - 1, 0) : start},${lines}`;
}
