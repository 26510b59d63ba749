#!/usr/bin/env bash
# G1's benchmark: durable gate passes under load, from a second process (wrk), against the Release build.
#   bench/gate-passes.sh                 # SQLite (synchronous=FULL, WAL), data in /tmp/epigrid-bench-gates
#   NAIVE=0 skips the naive run; MEASURE_GETS=0 the GETs.
#   PGURL="Host=127.0.0.1;Port=55432;Database=gates;Username=epigrid;Password=epigrid" bench/gate-passes.sh   (ONLY=postgres skips SQLite)
#   OVERLOAD=1 also runs OVERLOAD_FACTOR (4) x the connections against the same server right after the measured run, and
#   reports the share of 503s (shed), the accepted passes/s and their p50/p99, beside the ceiling of that run; QUEUE_LIMIT=N
#   starts the server with EpiGrid__Gates__PassQueueLimit=N (T2). wrk keeps one request in flight per connection, so the
#   writer's queue never holds more passes than connections: 4 x 64 does not reach the default bound of 4,096.
#   Short and self-ending: OVERLOAD=1 NAIVE=0 MEASURE_GETS=1 WARMUP=15s DURATION=10s is about 1.5 minutes per database.
# For each database it measures the app twice: with the group-commit writer (the default, ADR-010) and with the naive
# one-EF-transaction-per-pass path (EpiGrid__GatePassGroupCommit=false). Against the first it also measures a minimal
# authenticated GET (GET /api/auth/me: bearer token, account check, no database) and a one-row GET (GET /api/gates/{id}).
# Each run starts the app once on an empty database (migrations, demo seed), stops it and measures a second start on that
# database (FIRST_START=1: the first process). Reports passes/s, p50/p99, 201s counted vs rows stored, the server's peak RSS and the ratios. Figures go to
# bench/README.md by hand. NICE=-15 (as root) runs server and load ahead of other work on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5098}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
NICE=${NICE:-0}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk (as root)"; exit 1; }
dotnet build src/EpiGrid -c Release -nologo -v q >/dev/null
URL="http://127.0.0.1:$PORT"
OUT=${OUT:-/tmp/epigrid-bench}
mkdir -p "$OUT"

wrk_() { nice -n "$NICE" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@"; }
rate() { grep Requests/sec "$1" | awk '{print $2}'; }
pct() { grep " $2%" "$1" | awk '{print $2}'; }

# Each start gets an empty database: the data directory holds the key file the database's keys are wrapped with (F3, S1).
drop_pg() {
  [ -n "${PGURL:-}" ] || return 0
  local user pass host port db
  user=$(sed 's/.*Username=\([^;]*\).*/\1/' <<<"$PGURL"); pass=$(sed 's/.*Password=\([^;]*\).*/\1/' <<<"$PGURL")
  host=$(sed 's/.*Host=\([^;]*\).*/\1/' <<<"$PGURL"); port=$(sed 's/.*Port=\([^;]*\).*/\1/' <<<"$PGURL"); db=$(sed 's/.*Database=\([^;]*\).*/\1/' <<<"$PGURL")
  PGPASSWORD=$pass psql -h "$host" -p "$port" -U "$user" -d postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
}

run() { # label, data dir, env...
  local label=$1 data=$2; shift 2
  echo "== $label"
  rm -rf "$data"; mkdir -p "$data"
  case "$*" in *Database__Provider=Postgres*) drop_pg ;; esac
  start() {
    (cd src/EpiGrid && exec env "$@" EpiGrid__DataDirectory="$data" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production \
      Logging__LogLevel__Default=Warning nice -n "$NICE" dotnet bin/Release/net10.0/EpiGrid.dll --urls "$URL" >>"$OUT/server.log" 2>&1) &
    pid=$!
    for _ in $(seq 120); do curl -sf "$URL/health" >/dev/null && break; sleep 1; done
  }
  : >"$OUT/server.log"
  local pid
  start "$@"
  # The measured server is started on its database, as a gate server runs in an office: the first start above migrated the
  # empty database and seeded the demo office, and its process keeps that work's compiled code (~20 MB of RSS, bench/README.md,
  # session 6). FIRST_START=1 measures that first process instead.
  if [ "${FIRST_START:-0}" != 1 ]; then
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    start "$@"
  fi
  login() { curl -sf "$URL/api/auth/login" -H 'Content-Type: application/json' -d "{\"userName\":\"$1\",\"password\":\"Demo#2020\"}" | sed 's/.*"accessToken":"\([^"]*\)".*/\1/'; }
  local token leader gate
  token=$(login gate1); leader=$(login leader)
  gate=$(curl -sf "$URL/api/gates" -H "Authorization: Bearer $token" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
  stored() { curl -sf "$URL/api/gate-passes/counts" -H "Authorization: Bearer $leader" | grep -o '"compounds":.*' | grep -o '"in":[0-9]*' | cut -d: -f2 | paste -sd+ | bc; }
  # Warm-up, not counted: on 2 busy cores tiered compilation is still recompiling hot methods 15 s in (the JIT had 8.7 %
  # of the server's samples in a window after a 15 s warm-up, none after 40 s: bench/README.md, session 5).
  DURATION=${WARMUP:-40s} TOKEN=$token GATE=$gate wrk_ -s bench/gate-pass.lua "$URL" >/dev/null
  local before; before=$(stored)
  # Peak RSS of the measured run: the high-water mark is reset after the warm-up (the start-up's migrations and demo
  # seed peak before serving; /proc/PID/clear_refs 5 resets VmHWM).
  local idle; idle=$(grep VmRSS /proc/"$pid"/status | awk '{print $2, $3}')
  echo 5 >/proc/"$pid"/clear_refs 2>/dev/null || true
  TOKEN=$token GATE=$gate wrk_ -s bench/gate-pass.lua "$URL" >"$OUT/post.txt"
  sleep 1
  local after; after=$(stored)
  echo "POST /api/gates/{gate}/passes: $(rate "$OUT/post.txt") passes/s, p50 $(pct "$OUT/post.txt" 50), p99 $(pct "$OUT/post.txt" 99); 201s counted $(grep CREATED "$OUT/post.txt" | awk '{print $2}'), 503s $(grep '^SHED ' "$OUT/post.txt" | awk '{print $2}'), other $(grep OTHER "$OUT/post.txt" | awk '{print $2}'), rows stored $((after - before))"
  if [ "${OVERLOAD:-0}" = 1 ]; then
    # T2: more clients than the run above sustained, right after it, on the same server: the ceiling is the line above.
    local over=$((CONNECTIONS * ${OVERLOAD_FACTOR:-4})); before=$(stored)
    CONNECTIONS=$over TOKEN=$token GATE=$gate wrk_ -s bench/gate-pass.lua "$URL" >"$OUT/overload.txt"
    sleep 1; after=$(stored)
    v() { grep "^$1 " "$OUT/overload.txt" | awk '{print $2}'; }
    echo "OVERLOAD, $over connections: answers $(rate "$OUT/overload.txt")/s, accepted $(v ACCEPTED_PER_SEC) passes/s ($(echo "scale=2; $(v ACCEPTED_PER_SEC) / $(rate "$OUT/post.txt")" | bc) of the ceiling above); shed (503) $(v SHED) of $(( $(v CREATED) + $(v OK) + $(v SHED) + $(v OTHER) )) = $(echo "scale=1; 100 * $(v SHED_SHARE) / 1" | bc) %; accepted p50 $(v ACCEPTED_P50_MS) ms, p99 $(v ACCEPTED_P99_MS) ms (all answers: p50 $(pct "$OUT/overload.txt" 50), p99 $(pct "$OUT/overload.txt" 99)); 201s $(v CREATED), other $(v OTHER), rows stored $((after - before))"
  fi
  if [ "${MEASURE_GETS:-1}" = 1 ]; then
    TOKEN=$token wrk_ -s bench/get.lua "$URL/api/auth/me" >"$OUT/me.txt"
    TOKEN=$token wrk_ -s bench/get.lua "$URL/api/gates/$gate" >"$OUT/gate.txt"
    echo "GET /api/auth/me (minimal authenticated GET): $(rate "$OUT/me.txt")/s, p99 $(pct "$OUT/me.txt" 99); passes/GET = $(echo "scale=3; $(rate "$OUT/post.txt") / $(rate "$OUT/me.txt")" | bc)"
    echo "GET /api/gates/{gate} (one row): $(rate "$OUT/gate.txt")/s, p99 $(pct "$OUT/gate.txt" 99)"
  fi
  echo "peak RSS during the run: $(grep VmHWM /proc/"$pid"/status | awk '{print $2, $3}') (after the warm-up: $idle); PSS at the end: $(awk '/^Pss:/ {print $2, $3}' /proc/"$pid"/smaps_rollup 2>/dev/null) (RSS counts the JIT's double-mapped code twice, PSS once)"
  echo "$(rate "$OUT/post.txt")" >"$OUT/last-rate"
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
}

bench() { # label, data dir, env...
  local label=$1 data=$2; shift 2
  run "$label, group commit" "$data" "$@"
  local grouped; grouped=$(cat "$OUT/last-rate")
  [ "${NAIVE:-1}" = 1 ] || return 0
  OVERLOAD=0 MEASURE_GETS=0 run "$label, naive (one transaction per pass)" "$data" EpiGrid__GatePassGroupCommit=false "$@"
  echo "group commit / naive = $(echo "scale=1; $grouped / $(cat "$OUT/last-rate")" | bc)"
}

QUEUE=()
[ -z "${QUEUE_LIMIT:-}" ] || QUEUE=("EpiGrid__Gates__PassQueueLimit=$QUEUE_LIMIT")
[ "${ONLY:-}" = postgres ] || bench "SQLite (synchronous=FULL, WAL)" /tmp/epigrid-bench-gates "${QUEUE[@]}"
if [ -n "${PGURL:-}" ]; then
  bench "PostgreSQL (fsync on)" /tmp/epigrid-bench-gates-pg Database__Provider=Postgres "ConnectionStrings__Postgres=$PGURL" "${QUEUE[@]}"
fi
