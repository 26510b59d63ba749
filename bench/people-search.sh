#!/usr/bin/env bash
# P1's benchmark: people search at N people (default 1,000,000) on SQLite, and on PostgreSQL when PGURL is given
# (an Npgsql connection string to an empty database the script may fill). Figures go to bench/README.md by hand.
#   bench/people-search.sh [N]
#   ONLY=postgres PGURL=... bench/people-search.sh    # skip the SQLite run (S1: a database filled by bench/pg-volume.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
PORT=${PORT:-5099}
dotnet build src/EpiGrid -c Release -nologo -v q >/dev/null
dotnet build bench/EpiGrid.Bench -c Release -nologo -v q >/dev/null

run() { # label, env...
  local label=$1; shift
  echo "== $label"
  local have
  have=$(env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production dotnet run --project src/EpiGrid -c Release --no-build --no-launch-profile -- count-people 2>/dev/null | tail -n 1 || echo 0)
  if [ "${have:-0}" -lt "$N" ]; then
    env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production dotnet run --project src/EpiGrid -c Release --no-build --no-launch-profile -- generate-people $((N - have))
  fi
  env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    dotnet run --project src/EpiGrid -c Release --no-build --no-launch-profile --urls "http://127.0.0.1:$PORT" >/tmp/epigrid-bench.log 2>&1 &
  local pid=$!
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 1; done
  dotnet run --project bench/EpiGrid.Bench -c Release --no-build -- people-search "http://127.0.0.1:$PORT" leader 'Demo#2020' 300 || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

[ "${ONLY:-}" = postgres ] || run "SQLite, $N people" EpiGrid__DataDirectory=/tmp/epigrid-bench-sqlite
if [ -n "${PGURL:-}" ]; then
  run "PostgreSQL, $N people" EpiGrid__DataDirectory=/tmp/epigrid-bench-pg Database__Provider=Postgres "ConnectionStrings__Postgres=$PGURL"
fi
