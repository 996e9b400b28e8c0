#!/usr/bin/env bash
# Starts N server processes in cluster mode on consecutive ports (8787, 8788, …) for trying it
# on one machine: `pnpm cluster 3`. They share one PostgreSQL database and one Redis, so any of
# them serves any board (put a load balancer in front: README, "Running several servers").
#
#   DATABASE_URL  default postgresql://root@127.0.0.1:5432/common_ground_cluster (created if missing)
#   REDIS_URL     default redis://127.0.0.1:6379
#   PORT          the first port (default 8787); HOST as for one server (default 127.0.0.1)
#
# Ctrl-C stops them all (each shuts down cleanly, as on SIGTERM). Run `pnpm build` first (the
# `pnpm cluster` script does).
set -euo pipefail

count="${1:-3}"
if ! [[ "$count" =~ ^[1-9][0-9]?$ ]]; then
  echo "usage: scripts/cluster.sh <number of processes, 1-99>" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node="$here/node_modules/node/bin/node"
[ -x "$node" ] || node="$(command -v node)"
first_port="${PORT:-8787}"
export HOST="${HOST:-127.0.0.1}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
if [ -z "${DATABASE_URL:-}" ]; then
  export DATABASE_URL="postgresql://root@127.0.0.1:5432/common_ground_cluster"
  if command -v psql >/dev/null 2>&1 &&
    ! psql -h 127.0.0.1 -U root -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'common_ground_cluster'" | grep -q 1; then
    echo "creating the database common_ground_cluster"
    psql -h 127.0.0.1 -U root -d postgres -qc 'CREATE DATABASE common_ground_cluster'
  fi
fi

pids=()
stop() {
  trap - INT TERM
  echo "stopping ${#pids[@]} processes…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait
}
trap stop INT TERM

for ((i = 0; i < count; i++)); do
  port=$((first_port + i))
  # Each process's JSON log lines, prefixed with its port.
  PORT="$port" "$node" --max-semi-space-size=4 "$here/server/src/main.ts" > >(sed -u "s/^/[$port] /") 2>&1 &
  pids+=("$!")
  echo "process $((i + 1)) of $count: http://$HOST:$port"
done
wait
