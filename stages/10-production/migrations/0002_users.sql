-- Up Migration
-- Enumerations are text + CHECK rather than CREATE TYPE … AS ENUM: a value can be added or
-- removed by swapping one constraint, while an enum value can never be dropped.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT users_account_id_fkey REFERENCES accounts (id),
  -- UNIQUE creates the index that enforces it (users_email_key); it also serves login by e-mail.
  email text NOT NULL CONSTRAINT users_email_key UNIQUE
    CONSTRAINT users_email_format CHECK (email LIKE '_%@_%'),
  name text NOT NULL CONSTRAINT users_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
  role text NOT NULL CONSTRAINT users_role_valid CHECK (role IN ('customer', 'agent', 'admin')),
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

-- An account's people (WHERE account_id = $1), and the foreign-key check when an account is
-- deleted: without it PostgreSQL scans every user to find the account's ones.
CREATE INDEX users_account_id_idx ON users (account_id);

-- Down Migration
DROP TABLE users;
