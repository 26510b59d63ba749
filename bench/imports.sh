#!/usr/bin/env bash
# R1's benchmark: a 100,000-row upper-level list imported into a registry of 1,000,000 people, measured from the upload
# (POST /api/imports) to Completed (polling GET /api/imports/{id}); reports seconds, rows/s and the server's peak RSS
# (VmHWM). SQLite always; PostgreSQL too when PGURL is given (an Npgsql connection string to a database it may fill).
#   bench/imports.sh [PEOPLE] [ROWS]          e.g. bench/imports.sh 1000000 100000   (SQLITE=0 skips SQLite)
# The registry is generated once per data directory (generate-people) and kept; each run imports a fresh list
# (generate-import-file: 10 % of rows name registered people, 1 % are invalid, 2 % name no compound).
# On a shared machine, prepare outside the benchmark lock and time under it (perf protocol):
#   PREPARE=1 bench/imports.sh ...                       registry + a fresh list, no timing (run at nice 19)
#   flock /tmp/epigrid-bench.lock env NICE=-15 LIST=ready bench/imports.sh ...   times the prepared list
# SQLITE_DATA / PG_DATA choose the data directories, PORT the app's port, NICE the server's niceness,
# IMPORT_LOG=Debug logs the worker's phases (stopwatch per batch) into the server log.
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-1000000}
ROWS=${2:-100000}
PORT=${PORT:-5141}
NICE=${NICE:-0}
SQLITE_DATA=${SQLITE_DATA:-/tmp/epigrid-bench-imports-sqlite}
PG_DATA=${PG_DATA:-/tmp/epigrid-bench-imports-pg}
IMPORT_LOG=${IMPORT_LOG:-Warning}
[ "${LIST:-}" = ready ] || dotnet build src/EpiGrid -c Release -nologo -v q >/dev/null
DLL=${DLL:-bin/Release/net10.0/EpiGrid.dll} # DLL=/abs/path/EpiGrid.dll runs another build (A/B runs)

app() { (cd src/EpiGrid && env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning dotnet "$DLL" "${ARGS[@]}"); }

run() { # label, env...
  local label=$1; shift
  echo "== $label"
  local have DATA=$1
  shift
  ARGS=(count-people); have=$(app "$@" 2>/dev/null | tail -n 1 || echo 0)
  if [ "${have:-0}" -lt "$PEOPLE" ]; then ARGS=(generate-people $((PEOPLE - have))); app "$@"; fi
  local list=$DATA/bench-list-$ROWS.xlsx
  if [ "${LIST:-}" != ready ] || [ ! -f "$list" ]; then
    rm -f "$list"
    ARGS=(generate-import-file "$ROWS" "$list"); app "$@" | tail -n 1
  fi
  ls -l "$list" | awk '{printf "list file: %.1f MB\n", $5/1048576}'
  if [ "${PREPARE:-0}" = 1 ]; then echo "prepared (registry: $have people before this list)"; return; fi
  echo "registry: $have people; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

  (cd src/EpiGrid && exec nice -n "$NICE" env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    Logging__LogLevel__EpiGrid.Features.Imports="$IMPORT_LOG" dotnet "$DLL" --urls "http://127.0.0.1:$PORT") >"$DATA/server.log" 2>&1 &
  local pid=$!
  for _ in $(seq 90); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 1; done
  local token
  token=$(curl -sf -H 'Content-Type: application/json' -d '{"userName":"stats","password":"Demo#2020"}' "http://127.0.0.1:$PORT/api/auth/login" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
  echo "server RSS before the upload: $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$pid/status)"
  local t0 t1 id status
  t0=$(date +%s.%N)
  id=$(curl -sf -H "Authorization: Bearer $token" -F "file=@$list" "http://127.0.0.1:$PORT/api/imports" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while true; do
    status=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/imports/$id")
    case "$status" in *'"status":"Completed"'*|*'"status":"Failed"'*) break;; esac
    sleep 0.1
  done
  t1=$(date +%s.%N)
  echo "$status" | python3 -c '
import json,sys
s=json.load(sys.stdin)
print("status %s: total %d, imported %d, matched %d, rejected %d, unplaced %d, errors listed %d%s" % (s["status"], s["total"], s["imported"], s["matched"], s["rejected"], s["unplaced"], s["errorCount"], (" — " + s["failureReason"]) if s.get("failureReason") else ""))'
  python3 -c "import sys; t=$t1-$t0; print('upload → Completed: %.2f s, %.0f rows/s' % (t, $ROWS/t))"
  echo "server peak RSS (VmHWM): $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$pid/status)"
  local f0 f1
  f0=$(date +%s.%N)
  curl -sf -o /tmp/epigrid-bench-feedback.xlsx -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/imports/$id/feedback.xlsx"
  f1=$(date +%s.%N)
  python3 -c "print('feedback sheet: %.2f s' % ($f1-$f0))"
  echo "server peak RSS after the feedback sheet: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$pid/status)"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$list" # a list is imported once: its new people are registered now
}

if [ "${SQLITE:-1}" != 0 ]; then
  run "SQLite, $PEOPLE people, $ROWS-row list" "$SQLITE_DATA" EpiGrid__DataDirectory="$SQLITE_DATA"
fi
if [ -n "${PGURL:-}" ]; then
  run "PostgreSQL, $PEOPLE people, $ROWS-row list" "$PG_DATA" EpiGrid__DataDirectory="$PG_DATA" Database__Provider=Postgres "ConnectionStrings__Postgres=$PGURL"
fi
