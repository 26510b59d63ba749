#!/usr/bin/env bash
# R2's benchmark: the leaders' dashboard, the daily report and a people export at 1,000,000 people and 10,000,000
# gate passes (the app's own generators), warm p50/p95 from a second process, and the server's peak RSS.
#   bench/reports.sh                       # SQLite, data in /tmp/epigrid-bench-reports
#   PGURL="Host=127.0.0.1;Port=55442;Database=reports;Username=epigrid;Password=epigrid" bench/reports.sh
# PEOPLE and PASSES override the sizes. Figures go to bench/README.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${PEOPLE:-1000000}
PASSES=${PASSES:-10000000}
PORT=${PORT:-5151}
N=${N:-20}
URL="http://127.0.0.1:$PORT"
dotnet build src/EpiGrid -c Release -nologo -v q >/dev/null
dotnet build bench/EpiGrid.Bench -c Release -nologo -v q >/dev/null
APP="dotnet $PWD/src/EpiGrid/bin/Release/net10.0/EpiGrid.dll"

run() { # label, env...
  local label=$1; shift
  echo "== $label"
  local have
  have=$(cd src/EpiGrid && env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production $APP count-people 2>/dev/null | tail -n 1 || echo 0)
  if [ "${have:-0}" -lt "$PEOPLE" ]; then
    (cd src/EpiGrid && env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production $APP generate-people $((PEOPLE - have)) | tail -n 1)
  fi
  have=$(cd src/EpiGrid && env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production $APP count-passes 2>/dev/null | tail -n 1 || echo 0)
  if [ "${have:-0}" -lt "$PASSES" ]; then
    (cd src/EpiGrid && env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production $APP generate-passes $((PASSES - have)) | tr "\r" "\n" | tail -n 1)
  fi
  for cache in 0 10; do
    echo "-- dashboard cache ${cache}s"
    (cd src/EpiGrid && env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
      EpiGrid__Dashboard__CacheSeconds=$cache EpiGrid__ExportAlertRowsPerDay=100000000 $APP --urls "$URL" >/tmp/epigrid-bench-reports.log 2>&1) &
    local sub=$!
    for _ in $(seq 120); do curl -sf "$URL/health" >/dev/null && break; sleep 1; done
    local pid; pid=$(pgrep -P "$sub" -f EpiGrid.dll | head -n 1 || true); pid=${pid:-$sub}
    local bench="dotnet bench/EpiGrid.Bench/bin/Release/net10.0/EpiGrid.Bench.dll get $URL leader Demo#2020"
    if [ "$cache" = 0 ]; then
      $bench "$N" /api/dashboard
      $bench "$N" "/api/reports/daily"
      $bench "$N" "/api/reports/daily?date=$(date -d yesterday +%F)"
      $bench 5 "/api/people/export.xlsx?category=CloseContact"
    else
      $bench 300 /api/dashboard
    fi
    echo "peak RSS: $(grep VmHWM /proc/"$pid"/status)"
    kill "$pid" "$sub" 2>/dev/null || true; wait "$sub" 2>/dev/null || true
  done
}

run "SQLite" EpiGrid__DataDirectory=/tmp/epigrid-bench-reports
if [ -n "${PGURL:-}" ]; then
  run "PostgreSQL" EpiGrid__DataDirectory=/tmp/epigrid-bench-reports-pg Database__Provider=Postgres "ConnectionStrings__Postgres=$PGURL"
fi
