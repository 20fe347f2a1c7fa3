#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1:5432 and 127.0.0.1:6379. Idempotent; prints
# nothing when both already answer (however they run: Docker, Homebrew, a package).
# - On CI (CI=true, as root, with apt-get: Debian/Ubuntu): starts them, installing them first if
#   they are not installed.
# - Anywhere else (macOS, any Linux, no root): installs and starts nothing system-wide; says what is
#   missing and how to get it. Redis is started if redis-server is installed (no root needed).
set -euo pipefail
# Other ports only for scripts/test/services.test.ts.
pg_port="${SERVICES_PG_PORT:-5432}"
redis_port="${SERVICES_REDIS_PORT:-6379}"

# bash's /dev/tcp where the clients are not installed (e.g. services in Docker on a Mac).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pg_up() {
  if command -v pg_isready >/dev/null; then pg_isready -q -h 127.0.0.1 -p "$pg_port" >/dev/null 2>&1
  else port_open "$pg_port"; fi
}
redis_up() {
  if command -v redis-cli >/dev/null; then [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = "PONG" ]
  else port_open "$redis_port"; fi
}

if pg_up && redis_up; then exit 0; fi

if ! { [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; }; then
  if ! redis_up && command -v redis-server >/dev/null; then
    echo "services.sh: starting Redis…"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no >/dev/null
    for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  fi
  problems=()
  pg_up || problems+=("PostgreSQL does not answer on 127.0.0.1:$pg_port. Start it: docker compose up -d postgres; or brew install postgresql@17 && brew services start postgresql@17 (macOS); or your distribution's package (Debian/Ubuntu: sudo apt-get install postgresql).")
  redis_up || problems+=("Redis does not answer on 127.0.0.1:$redis_port. Start it: docker compose up -d redis; or brew install redis (macOS) / sudo apt-get install redis-server (Debian/Ubuntu), then run this again.")
  if [ "${#problems[@]}" -gt 0 ]; then
    printf 'services.sh: %s\n' "${problems[@]}" >&2
    exit 1
  fi
  exit 0
fi

missing=()
if ! command -v pg_ctlcluster >/dev/null || ! command -v pg_isready >/dev/null; then missing+=(postgresql); fi
if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then missing+=(redis-server); fi
installed_postgres=no
if [ "${#missing[@]}" -gt 0 ]; then
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
