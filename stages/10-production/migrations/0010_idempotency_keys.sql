-- Up Migration
-- LESSON: an idempotency key is claimed by INSERTing its row: the primary key lets exactly one
-- of any number of concurrent requests with the same (caller, key) win; the others find the row
-- and get 409 (still running), a replay of the stored answer, or 422 (a different request).
-- Scoped to the caller: two users who pick the same key never see each other's answers.
CREATE TABLE idempotency_keys (
  caller_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  -- sha256 of method, path and body: the same key with another request is a client bug (422).
  fingerprint text NOT NULL,
  -- NULL while the first request runs; then the answer it gave, replayed byte for byte.
  response_status integer,
  response_headers jsonb,
  response_body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A claim whose request never answered (its process died) may be taken over after this.
  locked_until timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (caller_id, key)
);

-- Serves the cleanup (DELETE … WHERE expires_at < now()); one more index to update per
-- keyed POST, which is cheap next to the ticket's own.
CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);

-- Down Migration
DROP TABLE idempotency_keys;
