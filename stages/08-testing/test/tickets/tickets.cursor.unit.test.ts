import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/tickets/tickets.cursor.ts';
import { TicketCursorSchema } from '../../src/tickets/tickets.query.schemas.ts';

/** What `?after=` becomes: the position, or null when the schema rejects it (a 400). */
function decodeCursor(raw: string) {
  const parsed = TicketCursorSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

// A property test states a rule for ALL inputs and lets fast-check search for the one
// that breaks it (then shrinks it to the smallest). Fixed seeds would hide nothing here: a
// failure prints its seed and path, so it can be replayed (`fc.assert(…, { seed, path })`).
const MIN = Date.parse('1970-01-01T00:00:00.000Z');
const MAX = Date.parse('9999-12-31T23:59:59.999Z');
const position = fc.record({
  createdAt: fc.integer({ min: MIN, max: MAX }).map((ms) => new Date(ms).toISOString()),
  id: fc.uuid(),
});

describe('ticket cursors', () => {
  it('When any position is encoded, then decoding gives it back exactly', () => {
    fc.assert(
      fc.property(position, (at) => {
        expect(decodeCursor(encodeCursor(at))).toEqual(at);
      }),
    );
  });

  it('When any string is decoded, then it never throws: null, or a position that encodes back to a cursor for itself', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.base64String(),
          fc.json().map((j) => Buffer.from(j).toString('base64url')),
        ),
        (raw) => {
          const decoded = decodeCursor(raw);
          if (decoded !== null) expect(decodeCursor(encodeCursor(decoded))).toEqual(decoded);
        },
      ),
    );
  });

  it.each([
    ['not base64 JSON', 'bm90IGpzb24'],
    [
      'a three-element array',
      encode(['2026-01-01T00:00:00.000Z', '0c000000-0000-4000-8000-000000000001', 1]),
    ],
    [
      'a date without milliseconds',
      encode(['2026-01-01T00:00:00Z', '0c000000-0000-4000-8000-000000000001']),
    ],
    [
      'an impossible date',
      encode(['2026-02-30T00:00:00.000Z', '0c000000-0000-4000-8000-000000000001']),
    ],
    // (An upper-case id is a UUID too: IdSchema takes either case, as PostgreSQL does.)
    [
      'an id with a letter past f',
      encode(['2026-01-01T00:00:00.000Z', '0g000000-0000-4000-8000-000000000001']),
    ],
    ['a number for the id', encode(['2026-01-01T00:00:00.000Z', 1])],
    // Found by test/tickets/list-query.property.test.ts: PostgreSQL has no year 0000.
    ['in year 0000', encode(['0000-12-31T23:59:59.999Z', '0c000000-0000-4000-8000-000000000001'])],
    // Added for mutants that survived (README: mutation testing): a one-element array passes
    // the pattern (test() turns it into its string), so the typeof check matters; and the
    // id's pattern is anchored at both ends.
    [
      'an id in an array',
      encode(['2026-01-01T00:00:00.000Z', ['0c000000-0000-4000-8000-000000000001']]),
    ],
    [
      'an id with a prefix',
      encode(['2026-01-01T00:00:00.000Z', 'x0c000000-0000-4000-8000-000000000001']),
    ],
    [
      'an id with a suffix',
      encode(['2026-01-01T00:00:00.000Z', '0c000000-0000-4000-8000-000000000001x']),
    ],
    [
      'an object',
      encode({ createdAt: '2026-01-01T00:00:00.000Z', id: '0c000000-0000-4000-8000-000000000001' }),
    ],
  ])('When the cursor is %s, then null', (_case, raw) => {
    expect(decodeCursor(raw)).toBeNull();
  });
});

describe('ticket cursors at the edge of what PostgreSQL stores', () => {
  it('When the cursor is the first instant of year 0001, then it is accepted (the bound is exclusive)', () => {
    const first = {
      createdAt: '0001-01-01T00:00:00.000Z',
      id: '0c000000-0000-4000-8000-000000000001',
    };

    expect(decodeCursor(encodeCursor(first))).toEqual(first);
  });
});

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
