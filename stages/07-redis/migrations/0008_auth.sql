-- Up Migration
-- LESSON: the database stores a password's bcrypt hash, never the password. The hash carries
-- its own algorithm, cost and salt ($2b$12$<salt><hash>), so the cost can be raised later and
-- old hashes still verify. NULL = this user cannot log in (rows from before this migration,
-- until `pnpm db:seed` gives the fixture users their development password).
ALTER TABLE users ADD COLUMN password_hash text
  CONSTRAINT users_password_hash_bcrypt CHECK (password_hash ~ '^\$2[aby]\$\d\d\$.{53}$');

-- Revocation: every token carries the version it was issued under (`ver`); logout-all bumps
-- this, and every older token stops working at its next request.
ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0
  CONSTRAINT users_token_version_valid CHECK (token_version >= 0);

-- Alice@Acme.test and alice@acme.test are one mailbox: unique case-insensitively. The index
-- keeps the constraint's name, so a duplicate still maps to 409 on `email` (src/db/pg-errors.ts),
-- and it serves login's lookup: WHERE lower(email) = lower($1).
ALTER TABLE users DROP CONSTRAINT users_email_key;
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Down Migration
DROP INDEX users_email_key;
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
ALTER TABLE users DROP COLUMN token_version;
ALTER TABLE users DROP COLUMN password_hash;
