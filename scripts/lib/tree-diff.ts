import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { type StructuredPatchHunk, structuredPatch } from 'diff';

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
const NOISE_FILES =
  /(\.tsbuildinfo|\.log|^pnpm-lock\.yaml|^package-lock\.json|^yarn\.lock|^bun\.lockb?|^\.env|^\.DS_Store)$/;

export interface FileDiff {
  path: string;
  status: 'added' | 'deleted' | 'modified';
  binary: boolean;
  hunks: StructuredPatchHunk[];
  added: number;
  removed: number;
}

function listFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory())
      return NOISE_DIRS.has(entry.name) ? [] : listFiles(join(dir, entry.name), base);
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

/** What changes from folder a to folder b, file by file, sorted by path, noise filtered out. */
export function diffTrees(a: string, b: string, context = 3): FileDiff[] {
  const paths = [...new Set([...listFiles(a), ...listFiles(b)])].sort();
  const diffs: FileDiff[] = [];
  for (const path of paths) {
    const before = existsSync(join(a, path)) ? readFileSync(join(a, path)) : null;
    const after = existsSync(join(b, path)) ? readFileSync(join(b, path)) : null;
    if (before && after && before.equals(after)) continue;
    const status = before === null ? 'added' : after === null ? 'deleted' : 'modified';
    if ((before && isBinary(before)) || (after && isBinary(after))) {
      diffs.push({ path, status, binary: true, hunks: [], added: 0, removed: 0 });
      continue;
    }
    const oldText = before?.toString('utf8') ?? '';
    let newText = after?.toString('utf8') ?? '';
    if (path.endsWith('package.json') && before && after) newText = sameNameLine(oldText, newText);
    if (status === 'modified' && oldText === newText) continue;
    const { hunks } = structuredPatch(path, path, oldText, newText, '', '', { context });
    const count = (sign: string) =>
      hunks.reduce((n, hunk) => n + hunk.lines.filter((line) => line.startsWith(sign)).length, 0);
    diffs.push({ path, status, binary: false, hunks, added: count('+'), removed: count('-') });
  }
  return diffs;
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
    out.push(`diff --git a/${d.path} b/${d.path}`);
    if (d.status === 'added') out.push('new file mode 100644');
    if (d.status === 'deleted') out.push('deleted file mode 100644');
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
  return d.status === 'added' ? '/dev/null' : `a/${d.path}`;
}

function newName(d: FileDiff): string {
  return d.status === 'deleted' ? '/dev/null' : `b/${d.path}`;
}

function range(start: number, lines: number): string {
  // unified diff convention: an empty side starts at the line *before* it (0 for a new file)
  return lines === 1 ? String(start) : `${lines === 0 ? Math.max(start - 1, 0) : start},${lines}`;
}
