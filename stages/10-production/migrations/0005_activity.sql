-- Up Migration
-- Append-only audit trail: who did what to a ticket (resolve writes one in the same transaction).
CREATE TABLE activity (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id uuid NOT NULL
    CONSTRAINT activity_ticket_id_fkey REFERENCES tickets (id) ON DELETE CASCADE,
  actor_id uuid NOT NULL CONSTRAINT activity_actor_id_fkey REFERENCES users (id),
  type text NOT NULL CONSTRAINT activity_type_valid CHECK (
    type IN ('ticket_created', 'status_changed', 'priority_changed', 'assigned', 'commented', 'resolved')
  ),
  details jsonb NOT NULL DEFAULT '{}'
    CONSTRAINT activity_details_object CHECK (jsonb_typeof(details) = 'object'),
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

-- A ticket's history, oldest first (WHERE ticket_id = $1 ORDER BY created_at), and the index
-- the ON DELETE CASCADE from tickets needs (see comments_ticket_created_idx).
CREATE INDEX activity_ticket_created_idx ON activity (ticket_id, created_at);

-- Down Migration
DROP TABLE activity;
