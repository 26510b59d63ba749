#!/usr/bin/env bash
# G1's benchmark: durable gate passes under load, from a second process (wrk), against the Release build.
#   bench/gate-passes.sh                 # SQLite (synchronous=FULL, WAL), data in /tmp/epigrid-bench-gates
#   PGURL="Host=127.0.0.1;Port=55432;Database=gates;Username=epigrid;Password=epigrid" bench/gate-passes.sh
# Reports passes/s, p50/p99, 201s counted vs rows stored, the server's peak RSS, and — same run, same server —
# the rate of a minimal authenticated GET, as a ratio. Figures go to bench/README.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5098}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk"; exit 1; }
dotnet build src/EpiGrid -c Release -nologo -v q >/dev/null
URL="http://127.0.0.1:$PORT"

run() { # label, env...
  local label=$1; shift
  echo "== $label"
  (cd src/EpiGrid && env "$@" EpiGrid__Demo=true ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    dotnet bin/Release/net10.0/EpiGrid.dll --urls "$URL" >/tmp/epigrid-bench-gates.log 2>&1) &
  local sub=$!
  for _ in $(seq 90); do curl -sf "$URL/health" >/dev/null && break; sleep 1; done
  local pid; pid=$(pgrep -P "$sub" -f EpiGrid.dll | head -n 1 || true); pid=${pid:-$sub}
  login() { curl -sf "$URL/api/auth/login" -H 'Content-Type: application/json' -d "{\"userName\":\"$1\",\"password\":\"Demo#2020\"}" | sed 's/.*"accessToken":"\([^"]*\)".*/\1/'; }
  local token leader gate
  token=$(login gate1); leader=$(login leader)
  gate=$(curl -sf "$URL/api/gates" -H "Authorization: Bearer $token" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
  stored() { curl -sf "$URL/api/gate-passes/counts" -H "Authorization: Bearer $leader" | grep -o '"compounds":.*' | grep -o '"in":[0-9]*' | cut -d: -f2 | paste -sd+ | bc; }
  local before; before=$(stored)
  echo "-- POST /api/gates/{gate}/passes, $CONNECTIONS connections, $DURATION"
  TOKEN=$token GATE=$gate wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/gate-pass.lua "$URL" | tee /tmp/epigrid-bench-post.txt
  local after; after=$(stored)
  echo "rows stored during the run: $((after - before)); 201s counted: $(grep CREATED /tmp/epigrid-bench-post.txt | awk '{print $2}')"
  echo "-- GET /api/gates/{gate} (minimal authenticated GET), same server"
  TOKEN=$token wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/get.lua "$URL/api/gates/$gate" | tee /tmp/epigrid-bench-get.txt
  local post get
  post=$(grep Requests/sec /tmp/epigrid-bench-post.txt | awk '{print $2}'); get=$(grep Requests/sec /tmp/epigrid-bench-get.txt | awk '{print $2}')
  echo "passes/s $post; GET/s $get; passes/GET = $(echo "scale=3; $post / $get" | bc)"
  echo "peak RSS: $(grep VmHWM /proc/"$pid"/status)"
  kill "$sub" "$pid" 2>/dev/null || true; wait "$sub" 2>/dev/null || true
}

run "SQLite (synchronous=FULL, WAL)" EpiGrid__DataDirectory=/tmp/epigrid-bench-gates
if [ -n "${PGURL:-}" ]; then
  run "PostgreSQL (fsync on)" EpiGrid__DataDirectory=/tmp/epigrid-bench-gates-pg Database__Provider=Postgres "ConnectionStrings__Postgres=$PGURL"
fi
