-- Up Migration
-- The activity table is the audit trail a support team reads when a customer asks "what
-- happened to my ticket?" — including "who deleted it?". With ON DELETE CASCADE (0005) the
-- DELETE erased the trail with the ticket. Now the trail outlives its ticket:
-- * the foreign key to tickets goes: a non-cascading one would forbid deleting a ticket that
--   has history at all, and ON DELETE SET NULL would forget which ticket the rows were about.
--   ticket_id keeps the id; the repository writes activity rows only for a ticket it holds
--   locked, in the same transaction, so no row names a ticket that never existed.
-- * DELETE writes a last row of type 'deleted' (details: the subject and status it had), in the
--   same transaction as the DELETE.
-- activity_ticket_created_idx stays: it serves a ticket's history, deleted or not.
-- (0005 is applied on every existing database, so it is not edited: a new migration changes it.)
ALTER TABLE activity DROP CONSTRAINT activity_ticket_id_fkey;
ALTER TABLE activity DROP CONSTRAINT activity_type_valid;
ALTER TABLE activity ADD CONSTRAINT activity_type_valid CHECK (
  type IN ('ticket_created', 'status_changed', 'priority_changed', 'assigned', 'commented',
    'resolved', 'deleted')
);

-- Down Migration
-- Rows of deleted tickets cannot satisfy the foreign key again: they go first.
DELETE FROM activity WHERE type = 'deleted' OR ticket_id NOT IN (SELECT id FROM tickets);
ALTER TABLE activity DROP CONSTRAINT activity_type_valid;
ALTER TABLE activity ADD CONSTRAINT activity_type_valid CHECK (
  type IN ('ticket_created', 'status_changed', 'priority_changed', 'assigned', 'commented', 'resolved')
);
ALTER TABLE activity ADD CONSTRAINT activity_ticket_id_fkey
  FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE;
