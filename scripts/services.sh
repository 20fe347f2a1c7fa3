#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1:5432 and 127.0.0.1:6379 on a machine without
# Docker (CI, a dev VM): starts them if they are installed, installs them first if they are not
# (Debian/Ubuntu, as root). Idempotent; prints nothing when both already answer.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

if pg_up && redis_up; then exit 0; fi

missing=()
if ! command -v pg_ctlcluster >/dev/null || ! command -v pg_isready >/dev/null; then missing+=(postgresql); fi
if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then missing+=(redis-server); fi
installed_postgres=no
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then
    echo "services.sh: ${missing[*]} not installed. As root: apt-get update && apt-get install -y postgresql redis-server" >&2
    exit 1
  fi
  echo "services.sh: installing ${missing[*]} (apt-get)…"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then installed_postgres=yes; fi
fi

if ! pg_up; then
  version="$(ls /etc/postgresql 2>/dev/null | head -1)"
  if [ -z "$version" ]; then
    echo "services.sh: no PostgreSQL cluster in /etc/postgresql" >&2
    exit 1
  fi
  echo "services.sh: starting PostgreSQL $version…"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi
if ! redis_up; then
  echo "services.sh: starting Redis…"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
fi

for _ in $(seq 1 60); do
  if pg_up && redis_up; then break; fi
  sleep 0.5
done
pg_up || { echo "services.sh: PostgreSQL does not answer on 127.0.0.1:5432 after 30 s" >&2; exit 1; }
redis_up || { echo "services.sh: Redis does not answer on 127.0.0.1:6379 after 30 s" >&2; exit 1; }

# A fresh Debian install authenticates TCP logins by password: give `postgres` the one that the
# default DATABASE_URL (postgres://postgres:postgres@localhost:5432/backend_path) carries.
if [ "$installed_postgres" = "yes" ]; then
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
fi
echo "services.sh: PostgreSQL and Redis are up."
