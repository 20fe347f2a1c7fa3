import { expect } from 'vitest';
import { testPool } from '../support/db-helpers.ts';

export interface RowCounts {
  accounts: number;
  users: number;
  tickets: number;
  comments: number;
  activity: number;
}

/** Every table a request could write to: a refused request must leave all of them as they were. */
export async function rowCounts(): Promise<RowCounts> {
  const { rows } = await testPool().query(
    `SELECT (SELECT count(*)::int FROM accounts) AS accounts,
            (SELECT count(*)::int FROM users) AS users,
            (SELECT count(*)::int FROM tickets) AS tickets,
            (SELECT count(*)::int FROM comments) AS comments,
            (SELECT count(*)::int FROM activity) AS activity`,
  );
  return rows[0];
}

/** A 4xx in the error envelope, never a 5xx, never Express's HTML. */
export function expectClientError(
  res: { status: number; body: { error?: { code?: unknown; message?: unknown } } },
  status: number,
  code: string,
): void {
  expect(res.status).toBe(status);
  expect(res.body.error).toMatchObject({ code, message: expect.any(String) });
  // Every message was written for this API in a schema: none of zod's defaults leaks through.
  const fields = (res.body.error as { fields?: Record<string, string> }).fields ?? {};
  for (const message of [res.body.error?.message, ...Object.values(fields)]) {
    expect(message).not.toMatch(/^(Invalid|Too (big|small)|Unrecognized|Expected)/);
  }
}

/** A JSON text with a lone surrogate, escaped as a client's encoder writes it: `"\ud800"`. */
export const LONE_SURROGATE_JSON = (field: string, rest: string) =>
  `{${JSON.stringify(field)}: "Broken \\ud800 text"${rest}}`;

/** Text that must come back byte-identical: emoji (with ZWJ), combining marks, RTL. */
export const ROUND_TRIP_TEXT = [
  ['an emoji family (ZWJ sequence)', 'Printer 👩‍👩‍👧 on fire 🔥'],
  ['combining marks (e + U+0301, not é)', 'Cafe\u0301 re\u0301sume\u0301'],
  ['right-to-left text (Hebrew, Arabic)', 'שלום عليكم printer'],
] as const;
