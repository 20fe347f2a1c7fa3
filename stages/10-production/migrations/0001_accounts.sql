-- Up Migration
-- gen_random_uuid() is built into PostgreSQL 13+ (no pgcrypto extension needed; PGlite has it too).
-- Timestamps are timestamptz(3): millisecond precision, exactly what an ISO string on the wire
-- carries, so a value read, sent to a client and sent back compares equal.
CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CONSTRAINT accounts_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE accounts;
