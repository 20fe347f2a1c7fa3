import { type Color, paint } from './output.ts';
import { type DiffView, type FileDiff, formatPatch, formatSize } from './tree-diff.ts';

/** How the one-line summaries name things: `docsHint` is the command that shows the prose. */
export interface DiffLabels {
  /** Stage b's folder: "not carried into 02-express". */
  b: string;
  docsHint: string;
}

const plusMinus = (d: { added: number; removed: number }) => `+${d.added} -${d.removed}`;

/** The lines that stand for what is not printed: files b does not carry, and collapsed prose. */
export function collapsedLines(view: DiffView, labels: DiffLabels): string[] {
  const lines = view.notCarried.map(
    (d) => `not carried into ${labels.b}: ${d.path} (${formatSize(d)})`,
  );
  if (view.docs.length > 0) {
    const files = view.docs.map((d) => `${d.path} ${plusMinus(d)}`).join(', ');
    lines.push(`docs: ${files}, collapsed (${labels.docsHint} shows it)`);
  }
  return lines;
}

/** The unified diff of the code, colored like git's when `color` is on, then the collapsed lines. */
export function formatTerminalDiff(view: DiffView, color: boolean, labels: DiffLabels): string {
  const patch = formatPatch(view.code, () => 'binary file changed');
  const style = paint(color);
  const colorOf = (line: string): Color | undefined => {
    if (
      /^(diff --git|new file|deleted file|similarity index|rename (from|to) |--- |\+\+\+ )/.test(
        line,
      )
    )
      return 'bold';
    if (line.startsWith('@@')) return 'cyan';
    if (line.startsWith('+')) return 'green';
    if (line.startsWith('-')) return 'red';
    if (line === 'binary file changed') return 'yellow';
    return undefined;
  };
  const code = patch.replace(/^.*$/gm, (line) => {
    const c = colorOf(line);
    return c && line ? style(c, line) : line;
  });
  const collapsed = collapsedLines(view, labels).map((line) => style('yellow', line));
  if (collapsed.length === 0) return code;
  return `${code}${code ? '\n' : ''}${collapsed.join('\n')}\n`;
}

/** `--stat`: one line per file with lines added/removed, then the totals. */
export function formatStat(view: DiffView, color: boolean, labels: DiffLabels): string {
  const style = paint(color);
  const label = (d: FileDiff) => {
    if (d.status === 'renamed') return `${d.path} (renamed from ${d.oldPath}, ${d.similarity}%)`;
    if (d.status === 'deleted') return `${d.path} (not carried)`;
    if (view.docs.includes(d)) return `${d.path} (docs, collapsed)`;
    return d.status === 'modified' ? d.path : `${d.path} (${d.status})`;
  };
  const rows = [...view.code, ...view.notCarried, ...view.docs];
  const width = Math.max(0, ...rows.map((d) => label(d).length));
  const counts = (d: FileDiff) => {
    if (d.status === 'deleted') return formatSize(d);
    if (d.binary) return 'binary file changed';
    return (
      [d.added ? style('green', `+${d.added}`) : '', d.removed ? style('red', `-${d.removed}`) : '']
        .filter(Boolean)
        .join(' ') || '(empty)'
    );
  };
  const lines = rows.map((d) => ` ${label(d).padEnd(width)} | ${counts(d)}`);
  lines.push(` ${statSummary(view, labels)}`);
  return lines.join('\n');
}

/** The totals of what is printed, then what is not (the HTML page's subtitle too). */
export function statSummary(view: DiffView, labels: DiffLabels): string {
  const added = view.code.reduce((n, d) => n + d.added, 0);
  const removed = view.code.reduce((n, d) => n + d.removed, 0);
  const n = view.code.length;
  const parts = [
    `${n} file${n === 1 ? '' : 's'} changed, ${added} insertions(+), ${removed} deletions(-)`,
  ];
  if (view.notCarried.length > 0) parts.push(`${view.notCarried.length} not carried`);
  if (view.docs.length > 0) {
    const docs = view.docs.reduce(
      (sum, d) => ({ added: sum.added + d.added, removed: sum.removed + d.removed }),
      {
        added: 0,
        removed: 0,
      },
    );
    parts.push(`docs ${plusMinus(docs)} collapsed (${labels.docsHint})`);
  }
  return parts.join('; ');
}
