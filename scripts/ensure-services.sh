#!/usr/bin/env bash
# The store tests need PostgreSQL on 127.0.0.1:5432 (user root, no password), and cluster mode
# needs Redis on 127.0.0.1:6379 (and its cluster tests redis-server and initdb, to start servers
# of their own). Quiet when all is there; otherwise starts what is installed,
# installs what is missing (Debian's postgresql and redis-server) when we may (root, or
# passwordless sudo), and else stops saying what to do. TEST_DATABASE_URL set: that PostgreSQL is
# the tests' and is left alone. Safe to run again and again.
set -euo pipefail

REDIS_PORT="${REDIS_PORT:-6379}"
PG_PORT=5432

answers() { timeout 2 bash -c ": </dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Runs a command as root: directly, through passwordless sudo, or not at all (status 1).
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}
may_be_root() { [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; }

wait_for() { # port, what
  for _ in $(seq 1 50); do answers "$1" && return 0; sleep 0.2; done
  echo "$2 was started but does not answer on 127.0.0.1:$1." >&2
  return 1
}

give_up() {
  echo "The tests need PostgreSQL on 127.0.0.1:$PG_PORT (user root, trusted) and Redis on" >&2
  echo "127.0.0.1:$REDIS_PORT. $1" >&2
  echo "As root on Debian: apt-get install postgresql redis-server, then start them" >&2
  echo "(pg_ctlcluster <version> main start; redis-server --daemonize yes --bind 127.0.0.1)." >&2
  echo "Or set TEST_DATABASE_URL=postgresql://user@host:port/any-database for PostgreSQL." >&2
  exit 1
}

postgres_installed() { compgen -G '/etc/postgresql/*/*/postgresql.conf' >/dev/null; }
# The cluster tests also start servers of their own: redis-server, and PostgreSQL's initdb.
own_servers_possible() {
  command -v redis-server >/dev/null 2>&1 && compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

install_missing() {
  local packages=()
  if [ -z "${TEST_DATABASE_URL:-}" ] && ! answers "$PG_PORT" && ! postgres_installed; then
    packages+=(postgresql)
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    packages+=(redis-server)
  fi
  if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && [[ " ${packages[*]} " != *" postgresql "* ]]; then
    packages+=(postgresql)
  fi
  [ ${#packages[@]} = 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 && may_be_root || give_up "${packages[*]} is missing."
  echo "Installing Debian's ${packages[*]} for the tests (apt-get)…"
  as_root apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >/dev/null
  # Only a PostgreSQL installed because none answered is ours to open to root.
  if [[ " ${packages[*]} " == *" postgresql "* ]] && ! answers "$PG_PORT"; then FRESH_POSTGRES=1; fi
}

start_postgres() {
  [ -n "${TEST_DATABASE_URL:-}" ] && return 0
  answers "$PG_PORT" && return 0
  may_be_root || give_up "PostgreSQL is installed but stopped, and only root may start it."
  echo "Starting PostgreSQL…"
  local conf version cluster
  for conf in /etc/postgresql/*/*/postgresql.conf; do
    version=$(basename "$(dirname "$(dirname "$conf")")")
    cluster=$(basename "$(dirname "$conf")")
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start 2>/dev/null || true
  done
  wait_for "$PG_PORT" PostgreSQL
}

# A cluster we just installed knows no `root` and wants passwords on TCP: make it as the
# project's machines have it. An existing installation is the admin's and is left as it is.
open_fresh_postgres_to_root() {
  [ "${FRESH_POSTGRES:-}" = 1 ] || return 0
  as_root runuser -u postgres -- psql -q -c \
    "DO \$\$ BEGIN CREATE ROLE root SUPERUSER LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$"
  local hba
  for hba in /etc/postgresql/*/*/pg_hba.conf; do
    as_root sed -i '1i host all root 127.0.0.1/32 trust' "$hba"
  done
  as_root runuser -u postgres -- psql -q -c 'SELECT pg_reload_conf()' >/dev/null
}

start_redis() {
  answers "$REDIS_PORT" && return 0
  echo "Starting Redis…"
  # Nothing kept on disk: the tests want a bus, not a database.
  local dir=/var/lib/redis log=/var/log/redis/tests.log
  if [ "$(id -u)" != 0 ] || [ ! -d "$dir" ] || [ ! -d "$(dirname "$log")" ]; then
    dir="${TMPDIR:-/tmp}"
    log="$dir/common-ground-redis.log"
  fi
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' \
    --appendonly no --dir "$dir" --logfile "$log"
  wait_for "$REDIS_PORT" Redis
}

if { [ -n "${TEST_DATABASE_URL:-}" ] || answers "$PG_PORT"; } && answers "$REDIS_PORT" &&
  own_servers_possible; then exit 0; fi
install_missing
start_postgres
open_fresh_postgres_to_root
start_redis
