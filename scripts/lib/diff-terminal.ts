import { type Color, paint } from './output.ts';
import { type FileDiff, formatPatch } from './tree-diff.ts';

/** The unified diff, colored like git's when `color` is on. */
export function formatTerminalDiff(diffs: FileDiff[], color: boolean): string {
  const patch = formatPatch(diffs, () => 'binary file changed');
  const style = paint(color);
  const colorOf = (line: string): Color | undefined => {
    if (/^(diff --git|new file|deleted file|--- |\+\+\+ )/.test(line)) return 'bold';
    if (line.startsWith('@@')) return 'cyan';
    if (line.startsWith('+')) return 'green';
    if (line.startsWith('-')) return 'red';
    if (line === 'binary file changed') return 'yellow';
    return undefined;
  };
  return patch.replace(/^.*$/gm, (line) => {
    const c = colorOf(line);
    return c && line ? style(c, line) : line;
  });
}

/** `--stat`: one line per file with lines added/removed, then the totals. */
export function formatStat(diffs: FileDiff[], color: boolean): string {
  const style = paint(color);
  const label = (d: FileDiff) => (d.status === 'modified' ? d.path : `${d.path} (${d.status})`);
  const width = Math.max(0, ...diffs.map((d) => label(d).length));
  const lines = diffs.map((d) => {
    const counts = d.binary
      ? 'binary file changed'
      : [
          d.added ? style('green', `+${d.added}`) : '',
          d.removed ? style('red', `-${d.removed}`) : '',
        ]
          .filter(Boolean)
          .join(' ') || '(empty)';
    return ` ${label(d).padEnd(width)} | ${counts}`;
  });
  const added = diffs.reduce((n, d) => n + d.added, 0);
  const removed = diffs.reduce((n, d) => n + d.removed, 0);
  const files = `${diffs.length} file${diffs.length === 1 ? '' : 's'} changed`;
  lines.push(` ${files}, ${added} insertions(+), ${removed} deletions(-)`);
  return lines.join('\n');
}
