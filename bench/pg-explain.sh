#!/usr/bin/env bash
# S1: EXPLAIN (ANALYZE, BUFFERS) of the hot queries, as EF sends them (the scope flag bound: true for a leader whose
# scope is the whole tree, false + compound list for a grid worker), on a database filled by bench/pg-volume.sh.
# Each query runs twice; the second (warm) plan is printed. Also table and index sizes. Output: docs/decisions/ADR-010.
#   PGURL=postgresql://epigrid:epigrid@127.0.0.1:55445/scale bench/pg-explain.sh > /tmp/explain.txt
set -euo pipefail
PGURL=${PGURL:?set PGURL}
q() { psql "$PGURL" -v ON_ERROR_STOP=1 -qAtc "$1"; }
GATE=$(q "SELECT \"GateId\" FROM \"GatePass\" GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
GRID1=$(q "SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"UserName\" = 'grid1'")
SCOPE=$(q "SELECT '{' || string_agg(a.\"Id\"::text, ',') || '}' FROM \"Areas\" a JOIN \"Areas\" c ON a.\"Path\" LIKE c.\"Path\" || '%' WHERE c.\"Name\" = '西关社区'")
DAY="2020-03-15 16:00:00+00"; NEXT="2020-03-16 16:00:00+00"   # one office day (Asia/Shanghai)
explain() { # title, sql
  echo; echo "### $1"; echo; echo '```sql'; echo "$2" | sed 's/^ *//'; echo '```'; echo; echo '```'
  psql "$PGURL" -qAtc "$2" >/dev/null
  psql "$PGURL" -qAtc "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $2"
  echo '```'
}
echo "## Sizes"; echo; echo '```'
psql "$PGURL" -c "SELECT relname AS table, to_char(n_live_tup, 'FM999,999,999') AS rows, pg_size_pretty(pg_relation_size(relid)) AS heap,
  pg_size_pretty(pg_indexes_size(relid)) AS indexes FROM pg_stat_user_tables WHERE relname IN ('GatePass','People','Tasks','Alert') ORDER BY 1"
psql "$PGURL" -c "SELECT indexrelname AS index, pg_size_pretty(pg_relation_size(indexrelid)) AS size FROM pg_stat_user_indexes
  WHERE relname IN ('GatePass','People','Tasks','Alert') ORDER BY relname, pg_relation_size(indexrelid) DESC"
echo '```'

explain "People search, name prefix, leader (count)" "SELECT count(*)::int FROM \"People\" AS p WHERE (true OR p.\"CompoundId\" = ANY ('$SCOPE')) AND p.\"Name\" >= '王' AND p.\"Name\" < '玌'"
explain "People search, name prefix, leader (page)" "SELECT p.\"Id\", p.\"Name\", p.\"Gender\", p.\"IdNumberMasked\", p.\"PhoneMasked\", p.\"CompoundId\", p.\"Address\", p.\"Status\", p.\"CreatedAt\" FROM \"People\" AS p WHERE (true OR p.\"CompoundId\" = ANY ('$SCOPE')) AND p.\"Name\" >= '王' AND p.\"Name\" < '玌' ORDER BY p.\"Name\", p.\"Id\" LIMIT 20 OFFSET 0"
explain "People search, name prefix, grid worker (count)" "SELECT count(*)::int FROM \"People\" AS p WHERE (false OR p.\"CompoundId\" = ANY ('$SCOPE')) AND p.\"Name\" >= '王' AND p.\"Name\" < '玌'"
explain "People search, last 4 of ID or phone, leader (page)" "SELECT p.\"Id\", p.\"Name\" FROM \"People\" AS p WHERE (true OR p.\"CompoundId\" = ANY ('$SCOPE')) AND (p.\"IdNumberLast4\" = '1234' OR p.\"PhoneLast4\" = '1234') ORDER BY p.\"Name\", p.\"Id\" LIMIT 20 OFFSET 0"
explain "Gate passes of one gate on one day (count)" "SELECT count(*)::int FROM \"GatePass\" AS g WHERE (true OR g.\"CompoundId\" = ANY ('$SCOPE')) AND g.\"GateId\" = '$GATE' AND g.\"TakenAt\" >= '$DAY' AND g.\"TakenAt\" < '$NEXT'"
explain "Gate passes of one gate on one day (page, newest first)" "SELECT g.\"Id\", g.\"TakenAt\", g.\"Name\", g.\"Temperature\" FROM \"GatePass\" AS g WHERE (true OR g.\"CompoundId\" = ANY ('$SCOPE')) AND g.\"GateId\" = '$GATE' AND g.\"TakenAt\" >= '$DAY' AND g.\"TakenAt\" < '$NEXT' ORDER BY g.\"TakenAt\" DESC, g.\"Id\" DESC LIMIT 50 OFFSET 0"
explain "Gate counts per gate and compound, one day, leader" "SELECT g.\"GateId\", g.\"CompoundId\", count(*) FILTER (WHERE g.\"Direction\" = 'In')::int AS \"In\", count(*) FILTER (WHERE g.\"Direction\" = 'Out')::int AS \"Out\", count(*) FILTER (WHERE g.\"Fever\")::int AS \"Fever\", count(*) FILTER (WHERE g.\"Outcome\" = 'Refused')::int AS \"Refused\" FROM \"GatePass\" AS g WHERE (true OR g.\"CompoundId\" = ANY ('$SCOPE')) AND g.\"TakenAt\" >= '$DAY' AND g.\"TakenAt\" < '$NEXT' GROUP BY g.\"GateId\", g.\"CompoundId\""
explain "Visitor lookup at the gate by ID-number hash" "SELECT g.\"Id\" FROM \"GatePass\" AS g WHERE g.\"VisitorIdNumberHash\" = md5('12340') || md5('x12340') LIMIT 10"
explain "Tasks of a grid worker, open, by due time (the worker's day)" "SELECT t.\"Id\" FROM \"Tasks\" AS t WHERE (false OR t.\"CompoundId\" = ANY ('$SCOPE')) AND t.\"AssigneeId\" = '$GRID1' AND t.\"Status\" = 'Open' ORDER BY t.\"DueAt\" LIMIT 200"
explain "Tasks of a grid worker, all, by due time (/api/tasks, count)" "SELECT count(*)::int FROM \"Tasks\" AS t WHERE (false OR t.\"CompoundId\" = ANY ('$SCOPE')) AND t.\"AssigneeId\" = '$GRID1'"
explain "Tasks of a grid worker, all, by due time (/api/tasks, page)" "SELECT t.\"Id\" FROM \"Tasks\" AS t WHERE (false OR t.\"CompoundId\" = ANY ('$SCOPE')) AND t.\"AssigneeId\" = '$GRID1' ORDER BY t.\"DueAt\" LIMIT 20 OFFSET 0"
explain "Alerts, newest first, leader (page)" "SELECT a.\"Id\", a.\"Kind\", a.\"Subject\", a.\"CreatedAt\" FROM \"Alert\" AS a WHERE true OR a.\"AreaId\" = ANY ('$SCOPE') ORDER BY a.\"CreatedAt\" DESC LIMIT 20 OFFSET 0"
explain "Alerts, newest first, grid worker (page)" "SELECT a.\"Id\", a.\"Kind\", a.\"Subject\", a.\"CreatedAt\" FROM \"Alert\" AS a WHERE false OR a.\"AreaId\" = ANY ('$SCOPE') ORDER BY a.\"CreatedAt\" DESC LIMIT 20 OFFSET 0"
explain "Open alerts, newest first (home page, status filter)" "SELECT a.\"Id\" FROM \"Alert\" AS a WHERE (true OR a.\"AreaId\" = ANY ('$SCOPE')) AND a.\"Status\" = 'Open' ORDER BY a.\"CreatedAt\" DESC LIMIT 50"
explain "Alerts count, leader" "SELECT count(*)::int FROM \"Alert\" AS a WHERE true OR a.\"AreaId\" = ANY ('$SCOPE')"
