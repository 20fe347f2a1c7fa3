import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = fileURLToPath(new URL('../../lab-results', import.meta.url));

/** Prints rows as an aligned table (numbers right-aligned). */
export function printTable(rows: Record<string, string | number>[]): void {
  const columns = Object.keys(rows[0] ?? {});
  const cell = (value: string | number | undefined) =>
    typeof value === 'number' ? value.toLocaleString('en-US') : (value ?? '');
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: (string | number | undefined)[], header = false) =>
    values
      .map((v, i) => {
        const text = cell(v);
        return typeof v === 'number' && !header
          ? text.padStart(widths[i] ?? 0)
          : text.padEnd(widths[i] ?? 0);
      })
      .join(' │ ');
  console.log(line(columns, true));
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const row of rows) console.log(line(columns.map((c) => row[c])));
}

/** lab-results/<name>.json: the numbers the README quotes, with where they were measured. */
export function writeResults(name: string, data: Record<string, unknown>): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}/${name}.json`;
  const payload = {
    lab: name,
    measuredAt: new Date().toISOString(),
    node: process.version,
    ...data,
  };
  writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
  return file;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
