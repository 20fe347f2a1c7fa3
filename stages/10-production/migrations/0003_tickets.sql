-- Up Migration
-- Every limit the API validates (TICKET_LIMITS, TICKET_PRIORITIES, TICKET_STATUSES in
-- shared/src/domain/tickets.ts) is repeated here: the database is the last line of defence
-- for rows written by scripts, seeds and future code paths that skip the API.
CREATE TABLE tickets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT tickets_account_id_fkey REFERENCES accounts (id),
  created_by uuid NOT NULL CONSTRAINT tickets_created_by_fkey REFERENCES users (id),
  assignee_id uuid CONSTRAINT tickets_assignee_id_fkey REFERENCES users (id),
  subject text NOT NULL,
  description text NOT NULL DEFAULT '',
  priority text NOT NULL DEFAULT 'medium',
  status text NOT NULL DEFAULT 'open',
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  resolved_at timestamptz(3),
  CONSTRAINT tickets_subject_length
    CHECK (char_length(subject) <= 200 AND btrim(subject) <> ''),
  CONSTRAINT tickets_description_length CHECK (char_length(description) <= 5000),
  CONSTRAINT tickets_priority_valid CHECK (priority IN ('low', 'medium', 'high', 'critical')),
  CONSTRAINT tickets_status_valid CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
  -- A resolved ticket says when; an open or pending one cannot have been resolved; a closed one
  -- may or may not (closed without being resolved first).
  CONSTRAINT tickets_resolved_at_consistent CHECK (
    CASE status
      WHEN 'resolved' THEN resolved_at IS NOT NULL
      WHEN 'closed' THEN true
      ELSE resolved_at IS NULL
    END
  ),
  CONSTRAINT tickets_timestamps_ordered
    CHECK (updated_at >= created_at AND (resolved_at IS NULL OR resolved_at >= created_at))
);

-- The list query (GET /tickets?status=open for one account; labs/explain.ts runs it on 1M rows):
--   WHERE account_id = $1 AND status = $2 ORDER BY created_at DESC, id DESC LIMIT 20
-- Equality columns first, then the ORDER BY columns in the same order and direction: the
-- planner walks the first 20 entries of one index range and stops — no table scan, no sort.
-- `id` is there because the ORDER BY breaks ties with it. Leading with account_id, it also
-- serves the foreign-key check when an account is deleted.
-- Cost: every INSERT, and every UPDATE of status, writes an entry here too (one more WAL record
-- per row), and it takes space: 120 MB at 1M rows after lab:seed, next to the table's 252 MB.
-- What that buys is measured by lab:explain (see README.md).
CREATE INDEX tickets_account_status_created_idx
  ON tickets (account_id, status, created_at DESC, id DESC);

-- countOpenByCreator runs before every create (a customer may have ≤ 10 open tickets):
--   SELECT count(*) FROM tickets WHERE created_by = $1 AND status = 'open'
-- Both columns are in the index, so it is answered from the index alone. Leading with
-- created_by, it is also the index the created_by foreign key needs when a user is deleted.
CREATE INDEX tickets_created_by_status_idx ON tickets (created_by, status);

-- Deliberately NOT indexed yet:
-- * assignee_id: no query filters by it and users are never deleted (the FK check on a user
--   delete would scan every ticket). Add it with the agents' queue ("assigned to me").
-- * subject, for the `q` search (subject ILIKE '%…%'): a B-tree cannot help a pattern with a
--   leading %. A trigram index would (CREATE EXTENSION pg_trgm; CREATE INDEX … USING gin
--   (subject gin_trgm_ops)) at the price of an index about as large as the column itself and
--   slower writes; worth it once searches on a large account show up as slow.

-- Down Migration
DROP TABLE tickets;
