-- Up Migration
-- Every list the API sends is served by an index (test/tickets/tickets.plan.test.ts EXPLAINs each
-- one, built by src/tickets/tickets.sql.ts, on enough rows that the planner chooses as at 1M).
-- Until stage 05 names the caller, GET /tickets lists every account's tickets:
--   [WHERE status = $1] ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3   (the page)
--   … WHERE (created_at, id) < ($t, $id) …                                     (?after=, keyset)
--   SELECT count(*) FROM (SELECT 1 … ORDER BY … LIMIT 1001)                    (the bounded total)
-- 0003's (account_id, status, created_at, id) cannot serve them: an index is read from its first
-- column, and these queries give no account_id. Without these two, each request read and sorted
-- the whole table (pnpm bench: 2 requests per second at 1M tickets, the 5 s timeout cutting some).

-- No filter: the table in list order. LIMIT 20 reads 20 entries; `?after=` starts at the cursor
-- (the row comparison is an Index Cond); OFFSET 9,980 reads 10,000 (the depth cap).
CREATE INDEX tickets_created_idx ON tickets (created_at DESC, id DESC);

-- ?status=: the equality column first, then the sort key, in the ORDER BY's order and direction.
-- The other way round, (created_at, id, status), the index would yield the order but not the
-- status: it would be read entry by entry, keeping 1 in 25 for `open` (4% of tickets).
CREATE INDEX tickets_status_created_idx ON tickets (status, created_at DESC, id DESC);

-- ?q= (subject ILIKE '%…%'): a B-tree cannot look up a pattern that starts with %, a trigram
-- index can. pg_trgm splits every subject into three-character pieces ("pri", "rin", "int"…);
-- ILIKE '%printer%' looks up the pieces of "printer" and reads only the rows holding all of
-- them, then rechecks each. It keeps ILIKE's meaning exactly (any case, any substring, `%` and
-- `_` escaped by escapeLike), which full-text search (tsvector) would not: that finds words
-- ("printer" but not "print" inside "printers" without stemming rules), in a language.
-- It cannot give the list's order: a rare term is found here and its few rows sorted; a common
-- one is found faster by walking tickets_created_idx and keeping the matches (the planner
-- chooses from the statistics). A pattern needs 3 letters or digits in a row to be looked up,
-- so shorter `q` is refused (400) rather than scanning every subject. Trusted extension
-- (PostgreSQL 13+): the migrating user needs no superuser; PGlite loads it when created with it.
-- Cost: 58 MB at 1M tickets (the table: 252 MB), and every INSERT, and every UPDATE of subject,
-- adds a few dozen index keys: GIN collects them in a pending list (fastupdate) and merges it
-- in bulk, so a write pays little, and now and then one pays the merge.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX tickets_subject_trgm_idx ON tickets USING gin (subject gin_trgm_ops);

-- Down Migration
DROP INDEX tickets_subject_trgm_idx;
DROP EXTENSION IF EXISTS pg_trgm;
DROP INDEX tickets_status_created_idx;
DROP INDEX tickets_created_idx;
