#!/usr/bin/env bash
# R2's benchmark: the leaders' dashboard, the daily report and people exports at 1,000,000 people and 10,000,000
# gate passes (the app's own generators), warm p50/p95 from a second process, and the server's peak RSS.
#   bench/reports.sh                       # SQLite, data in /tmp/r2-bench/data
#   PGURL="Host=127.0.0.1;Port=55462;Database=reports;Username=epigrid;Password=epigrid" bench/reports.sh
# PEOPLE and PASSES override the sizes, DATA the SQLite folder, PORT the app's port, N the timed calls per request;
# NICE (e.g. -15, with the shared lock) runs server and client at that niceness; BUILD=0 skips the Release build;
# SQLITE=0 runs PostgreSQL only.
# Data the script finds missing is generated first (do that once, outside any lock: it takes minutes).
# Exports: a fresh server per export, so that its peak RSS (VmHWM) is that export's. Figures go to bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${PEOPLE:-1000000}
PASSES=${PASSES:-10000000}
PORT=${PORT:-5140}
N=${N:-20}
NICE=${NICE:-0}
DATA=${DATA:-/tmp/r2-bench/data}
URL="http://127.0.0.1:$PORT"
if [ "${BUILD:-1}" = 1 ]; then
  dotnet build src/EpiGrid -c Release -nologo -v q >/dev/null
  dotnet build bench/EpiGrid.Bench -c Release -nologo -v q >/dev/null
fi
APP="dotnet $PWD/src/EpiGrid/bin/Release/net10.0/EpiGrid.dll"
BENCH="nice -n $NICE dotnet $PWD/bench/EpiGrid.Bench/bin/Release/net10.0/EpiGrid.Bench.dll get $URL leader Demo#2020"
LOG=${LOG:-/tmp/r2-bench/server.log}
SERVER=""

start() { # env...
  (cd src/EpiGrid && exec env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    EpiGrid__ExportAlertRowsPerDay=100000000 nice -n "$NICE" $APP --urls "$URL" >"$LOG" 2>&1) &
  SERVER=$!
  for _ in $(seq 300); do curl -sf "$URL/health" >/dev/null && return 0; sleep 1; done
  echo "server did not start (see $LOG)"; return 1
}
stop() {
  echo "   peak RSS: $(grep VmHWM /proc/"$SERVER"/status | tr -s ' \t' ' ' | cut -d' ' -f2-)"
  kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true
}

run() { # label, env...
  local label=$1; shift
  echo "== $label ($(uptime | sed 's/.*load average/load average/'))"
  local have
  have=$(cd src/EpiGrid && env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production $APP count-people 2>/dev/null | tail -n 1 || echo 0)
  if [ "${have:-0}" -lt "$PEOPLE" ]; then
    (cd src/EpiGrid && env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production $APP generate-people $((PEOPLE - have)) | tr "\r" "\n" | tail -n 1)
  fi
  have=$(cd src/EpiGrid && env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production $APP count-passes 2>/dev/null | tail -n 1 || echo 0)
  if [ "${have:-0}" -lt "$PASSES" ]; then
    (cd src/EpiGrid && env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production $APP generate-passes $((PASSES - have)) | tr "\r" "\n" | tail -n 1)
  fi

  echo "-- computed on every call (EpiGrid:Dashboard:CacheSeconds=0)"
  start "$@" EpiGrid__Dashboard__CacheSeconds=0
  $BENCH "$N" /api/dashboard
  $BENCH "$N" "/api/reports/daily"
  $BENCH "$N" "/api/reports/daily?date=$(date -d yesterday +%F)"
  stop
  echo "-- dashboard as served (default cache)"
  start "$@"
  $BENCH 300 /api/dashboard
  stop
  # About 5,000, 25,000 and 100,000 rows of the generated million (surnames drawn from 40: 王 is 1 in 40; 1 in 5 is a
  # returnee, 1 in 10 a close contact).
  for q in "q=%E7%8E%8B&category=Returnee" "q=%E7%8E%8B" "category=CloseContact"; do
    echo "-- export ($q), fresh server"
    start "$@"
    $BENCH "${NX:-3}" "/api/people/export.xlsx?$q"
    stop
  done
}

if [ "${SQLITE:-1}" = 1 ]; then run "SQLite" EpiGrid__DataDirectory="$DATA"; fi
if [ -n "${PGURL:-}" ]; then
  run "PostgreSQL" EpiGrid__DataDirectory="${PGDATA_DIR:-/tmp/r2-bench/pg-app}" Database__Provider=Postgres "ConnectionStrings__Postgres=$PGURL"
fi
