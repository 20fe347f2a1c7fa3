#!/bin/sh
# Stands in for Prisma's native schema engine, which the CLI downloads on first use from Prisma's
# own binary host. `prisma generate` never runs it, but the CLI insists that the file exists.
# Only `prisma migrate` / `prisma db` need the real one, and this project's SQL files own the schema.
echo "schema engine not available: this stage's schema is owned by migrations/*.sql" >&2
exit 1
