// LESSON: check an id's shape before it reaches SQL. PostgreSQL rejects 'abc' as a uuid with
// an error (22P02) — a round trip, an error log, and a 500 if nothing maps it. Checked here,
// it is a cheap 400 INVALID_ID and the database never sees the request.
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The canonical 8-4-4-4-12 hex form, any version (PostgreSQL's uuid type accepts them all). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
