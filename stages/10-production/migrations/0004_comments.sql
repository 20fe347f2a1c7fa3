-- Up Migration
CREATE TABLE comments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Deleting a ticket deletes its conversation (DELETE /tickets/:id).
  ticket_id uuid NOT NULL
    CONSTRAINT comments_ticket_id_fkey REFERENCES tickets (id) ON DELETE CASCADE,
  author_id uuid NOT NULL CONSTRAINT comments_author_id_fkey REFERENCES users (id),
  body text NOT NULL
    CONSTRAINT comments_body_length CHECK (char_length(body) <= 10000 AND btrim(body) <> ''),
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

-- A ticket's conversation, oldest first (listByTicket, and the json_agg in listWithComments):
--   WHERE ticket_id = $1 ORDER BY created_at, id
-- It is also the index the ON DELETE CASCADE needs: without it, deleting one ticket scans
-- every comment in the table. (author_id is not indexed: users are never deleted.)
CREATE INDEX comments_ticket_created_idx ON comments (ticket_id, created_at, id);

-- Down Migration
DROP TABLE comments;
