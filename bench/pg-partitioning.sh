#!/usr/bin/env bash
# S1: the gate-pass table at volume, three plans side by side on the rows bench/pg-volume.sh made (ADR-010):
#   1. the plain table with btree (GateId, TakenAt), (CompoundId, TakenAt) and the unique (GateId, ClientId);
#   2. the same table with a BRIN index on TakenAt instead of the (CompoundId, TakenAt) btree for the day counts;
#   3. a copy partitioned by month on TakenAt, where a unique index must include TakenAt.
#   PGURL=postgresql://epigrid:epigrid@127.0.0.1:55445/scale bench/pg-partitioning.sh
set -euo pipefail
PGURL=${PGURL:?set PGURL}
export PGOPTIONS="-c maintenance_work_mem=512MB"
q() { psql "$PGURL" -v ON_ERROR_STOP=1 -qAtc "$1"; }
t() { local s; s=$(date +%s.%N); q "$1"; printf '%.1f s  %s\n' "$(echo "$(date +%s.%N) - $s" | bc)" "${1:0:90}"; }
GATE=$(q "SELECT \"GateId\" FROM \"GatePass\" GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
DAY="2020-03-15 16:00:00+00"; NEXT="2020-03-16 16:00:00+00"
explain() { echo "-- $1"; psql "$PGURL" -qAtc "$2" >/dev/null; psql "$PGURL" -qAtc "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $2"; echo; }

echo "== 1. plain table: the unique (GateId, ClientId) the writer's ON CONFLICT needs"
t "CREATE UNIQUE INDEX IF NOT EXISTS \"IX_GatePass_GateId_ClientId\" ON \"GatePass\" (\"GateId\", \"ClientId\")"
echo "== 2. BRIN on TakenAt (rows arrive in time order)"
t "CREATE INDEX IF NOT EXISTS \"BRIN_GatePass_TakenAt\" ON \"GatePass\" USING brin (\"TakenAt\") WITH (pages_per_range = 32)"
psql "$PGURL" -c "SELECT indexrelname AS index, pg_size_pretty(pg_relation_size(indexrelid)) AS size FROM pg_stat_user_indexes WHERE relname = 'GatePass' ORDER BY pg_relation_size(indexrelid) DESC"
COUNTS="SELECT g.\"GateId\", g.\"CompoundId\", count(*) FILTER (WHERE g.\"Direction\" = 'In')::int, count(*) FILTER (WHERE g.\"Fever\")::int FROM \"GatePass\" AS g WHERE g.\"TakenAt\" >= '$DAY' AND g.\"TakenAt\" < '$NEXT' GROUP BY g.\"GateId\", g.\"CompoundId\""
explain "day counts, btree (CompoundId, TakenAt) and BRIN both present (planner's choice)" "$COUNTS"
explain "day counts, BRIN only (btree hidden in a rolled-back transaction)" "$COUNTS" 
psql "$PGURL" -qAt <<SQL
BEGIN;
DROP INDEX "IX_GatePass_CompoundId_TakenAt";
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $COUNTS;
ROLLBACK;
SQL
echo
echo "== 3. partitioned by month"
q "DROP TABLE IF EXISTS gatepass_monthly"
q "CREATE TABLE gatepass_monthly (LIKE \"GatePass\" INCLUDING DEFAULTS) PARTITION BY RANGE (\"TakenAt\")"
for m in 2020-01 2020-02 2020-03 2020-04 2020-05 2020-06; do
  next=$(date -d "$m-01 +1 month" +%Y-%m-01)
  q "CREATE TABLE \"gatepass_${m/-/_}\" PARTITION OF gatepass_monthly FOR VALUES FROM ('$m-01 00:00+08') TO ('$next 00:00+08')"
done
t "INSERT INTO gatepass_monthly SELECT * FROM \"GatePass\""
t "ALTER TABLE gatepass_monthly ADD PRIMARY KEY (\"Id\", \"TakenAt\")"
t "CREATE UNIQUE INDEX ON gatepass_monthly (\"GateId\", \"ClientId\", \"TakenAt\")"
t "CREATE INDEX ON gatepass_monthly (\"GateId\", \"TakenAt\")"
t "CREATE INDEX ON gatepass_monthly (\"CompoundId\", \"TakenAt\")"
q "ANALYZE gatepass_monthly"
psql "$PGURL" -c "SELECT 'plain' AS layout, pg_size_pretty(pg_table_size('\"GatePass\"')) AS heap, pg_size_pretty(pg_indexes_size('\"GatePass\"')) AS all_indexes
  UNION ALL SELECT 'monthly', pg_size_pretty(sum(pg_table_size(c.oid))), pg_size_pretty(sum(pg_indexes_size(c.oid)))
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'gatepass_monthly'::regclass"
explain "monthly: one gate, one day, newest first" "SELECT \"Id\", \"TakenAt\" FROM gatepass_monthly WHERE \"GateId\" = '$GATE' AND \"TakenAt\" >= '$DAY' AND \"TakenAt\" < '$NEXT' ORDER BY \"TakenAt\" DESC, \"Id\" DESC LIMIT 50"
explain "plain: one gate, one day, newest first" "SELECT \"Id\", \"TakenAt\" FROM \"GatePass\" WHERE \"GateId\" = '$GATE' AND \"TakenAt\" >= '$DAY' AND \"TakenAt\" < '$NEXT' ORDER BY \"TakenAt\" DESC, \"Id\" DESC LIMIT 50"
CLIENT=$(q "SELECT \"ClientId\" FROM \"GatePass\" WHERE \"GateId\" = '$GATE' LIMIT 1")
explain "monthly: a retry (same gate and client id) looked up without its TakenAt — one probe per partition" "SELECT 1 FROM gatepass_monthly WHERE \"GateId\" = '$GATE' AND \"ClientId\" = '$CLIENT'"
explain "plain: the same lookup" "SELECT 1 FROM \"GatePass\" WHERE \"GateId\" = '$GATE' AND \"ClientId\" = '$CLIENT'"
echo "== retention: dropping the oldest month"
t "BEGIN; DELETE FROM \"GatePass\" WHERE \"TakenAt\" < '2020-02-01 00:00+08'; ROLLBACK"
t "ALTER TABLE gatepass_monthly DETACH PARTITION \"gatepass_2020_01\""
