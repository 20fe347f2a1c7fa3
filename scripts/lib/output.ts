/** Color only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(
  env: NodeJS.ProcessEnv = process.env,
  stream: { isTTY?: boolean } = process.stdout,
): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;
export type Color = keyof typeof CODES;

export function paint(enabled: boolean) {
  return (color: Color, text: string): string =>
    enabled ? `\u001b[${CODES[color]}m${text}\u001b[0m` : text;
}

/** A plain-text table: columns padded to their widest cell, numbers right-aligned. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const numeric = headers.map((_, i) =>
    rows.every((row) => /^[\d.]*$/.test(row[i] ?? '') && (row[i] ?? '') !== ''),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/**
 * `pnpm diff 1 2 | head` closes the pipe early: that is the reader being done, not an error.
 * Only for our own stdout (a test's stand-in has no pipe to close), and once.
 */
let quietOnClosedPipe = false;
export function exitQuietlyOnClosedPipe(stream: unknown): void {
  if (stream !== process.stdout || quietOnClosedPipe) return;
  quietOnClosedPipe = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
