-- Up Migration
-- Every list is one account's now (src/tickets/tickets.access.ts): staff see the account's tickets,
-- a customer the ones they opened. So every list statement gains account_id, and a customer's
-- created_by too (test/tickets/tickets.plan.test.ts plans each one, as each role sends it):
--   WHERE account_id = $1 [AND created_by = $2] [AND status = $3] [AND q] ORDER BY created_at DESC, id DESC
-- The rule of 0007 again: the equality columns first, then the sort key.

-- Staff, no status: an account's tickets newest first. 0003's (account_id, status, …) holds them
-- in one run per status, not in one run: the list would collect all 20,000 of an account (at 1M
-- tickets) twice, for the page and for its count, and sort them (pnpm bench: 63 requests a second).
CREATE INDEX tickets_account_created_idx ON tickets (account_id, created_at DESC, id DESC);

-- A customer's tickets newest first (created_by decides the account: account_id = $1 is then
-- checked on rows that all pass it).
CREATE INDEX tickets_creator_created_idx ON tickets (created_by, created_at DESC, id DESC);

-- The planner multiplies the selectivities of two conditions as if they were independent: with
-- tickets in 50 accounts, `account_id = $1 AND created_by = $2` looks like a fiftieth of the
-- creator's tickets, when every one of them is in that account. Expecting a handful, it collected
-- a customer's open tickets by bitmap and sorted them rather than walk the index above (the plan
-- test caught it). Extended statistics make ANALYZE measure how far created_by decides
-- account_id (here: fully), and the estimate becomes the creator's own.
CREATE STATISTICS tickets_creator_account (dependencies) ON created_by, account_id FROM tickets;

-- A customer's tickets in one status: 0003's (created_by, status) gains the sort key. It still
-- answers countOpenByCreator from the index alone (its first two columns), and it still serves
-- the created_by foreign key. Wider entries (no more B-tree deduplication of equal keys): 7 MB
-- at 1M tickets becomes 67 MB; the two new indexes above take 56 MB each.
DROP INDEX tickets_created_by_status_idx;
CREATE INDEX tickets_creator_status_created_idx
  ON tickets (created_by, status, created_at DESC, id DESC);

-- Stage 03's unscoped list indexes serve no statement of this API: every list names an account.
-- An index no query reads is all cost: every INSERT, and every UPDATE of status, writes it.
DROP INDEX tickets_created_idx;
DROP INDEX tickets_status_created_idx;

-- Down Migration
CREATE INDEX tickets_status_created_idx ON tickets (status, created_at DESC, id DESC);
CREATE INDEX tickets_created_idx ON tickets (created_at DESC, id DESC);
DROP INDEX tickets_creator_status_created_idx;
CREATE INDEX tickets_created_by_status_idx ON tickets (created_by, status);
DROP STATISTICS tickets_creator_account;
DROP INDEX tickets_creator_created_idx;
DROP INDEX tickets_account_created_idx;
