#!/usr/bin/env bash
# S1's volume generator for PostgreSQL: fills an EpiGrid database (migrated, demo office seeded — start the app on it
# once) with PASSES gate passes, PEOPLE people, and tasks and alerts, with raw batched INSERT ... SELECT (1,000,000
# rows a statement), then ANALYZE. The values are plausible, not real: ciphers are random text (the query plans do
# not read them), ids are time-ordered like the app's UUIDv7. For EXPLAIN and sizes (docs/decisions/ADR-010).
#   PGURL=postgresql://epigrid:epigrid@127.0.0.1:55445/scale PASSES=10000000 PEOPLE=1000000 bench/pg-volume.sh
set -euo pipefail
PGURL=${PGURL:?set PGURL to a libpq URL of a migrated EpiGrid database}
PASSES=${PASSES:-10000000}
PEOPLE=${PEOPLE:-1000000}
BATCH=1000000
export PGOPTIONS="-c maintenance_work_mem=512MB"
q() { psql "$PGURL" -v ON_ERROR_STOP=1 -qAtc "$1"; }
v7() { # a UUIDv7-like id from a timestamp expression: 48 bits of milliseconds, then random
  echo "(lpad(to_hex((extract(epoch from $1) * 1000)::bigint), 12, '0') || '7' || substr(md5(random()::text), 1, 19))::uuid"; }

start=$(date +%s)
# Secondary indexes are dropped before the load and built again after it (sorted builds: minutes instead of hours
# on 2 cores); the primary keys stay. Their definitions are read from the database, so they are the model's.
declare -A saved
for t in GatePass People; do
  saved[$t]=$(q "SELECT string_agg(indexdef, ';') FROM pg_indexes WHERE tablename = '$t' AND indexname NOT LIKE 'PK_%'")
  for i in $(q "SELECT indexname FROM pg_indexes WHERE tablename = '$t' AND indexname NOT LIKE 'PK_%'"); do q "DROP INDEX \"$i\""; done
done
# Gate passes: 120 days from 2020-01-25, spread over every gate, in time order as they arrive.
for ((done = 0; done < PASSES; done += BATCH)); do
  n=$(( PASSES - done < BATCH ? PASSES - done : BATCH ))
  q "WITH g AS (SELECT row_number() OVER (ORDER BY \"Id\") - 1 AS k, \"Id\", \"CompoundId\" FROM \"Gates\"),
          gc AS (SELECT count(*) AS c FROM g),
          s AS (SELECT i, timestamptz '2020-01-25 00:00+00' + (i::float8 / $PASSES) * interval '120 days' AS t FROM generate_series($done::bigint, $done + $n - 1) i)
     INSERT INTO \"GatePass\" (\"Id\", \"ClientId\", \"GateId\", \"CompoundId\", \"Direction\", \"Temperature\", \"Fever\", \"Outcome\",
        \"TakenAt\", \"ReceivedAt\", \"Name\", \"Visitor\", \"VisitorIdNumberCipher\", \"VisitorIdNumberHash\", \"VisitorIdNumberLast4\",
        \"VisitorIdNumberMasked\", \"QuarantineBreach\")
     SELECT $(v7 s.t), gen_random_uuid(), g.\"Id\", g.\"CompoundId\", CASE WHEN i % 2 = 0 THEN 'In' ELSE 'Out' END,
        CASE WHEN i % 997 = 0 THEN 38.1 ELSE 36.0 + (i % 12) / 10.0 END, i % 997 = 0, CASE WHEN i % 997 = 0 THEN 'Refused' ELSE 'Admitted' END,
        s.t, s.t + interval '1 second', '居民' || (i % 5000), i % 10 = 0,
        CASE WHEN i % 10 = 0 THEN '2:' || md5(i::text) || md5(random()::text) END, CASE WHEN i % 10 = 0 THEN md5(i::text) || md5('x' || i) END,
        CASE WHEN i % 10 = 0 THEN lpad((i % 10000)::text, 4, '0') END, CASE WHEN i % 10 = 0 THEN '610303********' || lpad((i % 10000)::text, 4, '0') END, false
     FROM s CROSS JOIN gc JOIN g ON g.k = (s.i * 7919) % gc.c"
  echo "gate passes: $((done + n)) ($(( $(date +%s) - start )) s)"
done

# People: surnames weighted like the register (王, 李, 张 ... first), over the compounds.
for ((done = 0; done < PEOPLE; done += BATCH)); do
  n=$(( PEOPLE - done < BATCH ? PEOPLE - done : BATCH ))
  q "WITH c AS (SELECT row_number() OVER (ORDER BY \"Id\") - 1 AS k, \"Id\" FROM \"Areas\" WHERE \"Kind\" = 'Compound'), cc AS (SELECT count(*) AS c FROM c),
          sn AS (SELECT string_to_array('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤', NULL) AS a),
          gn AS (SELECT string_to_array('伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国建华志强秀兰玉兰海燕小红晓东', NULL) AS a)
     INSERT INTO \"People\" (\"Id\", \"Name\", \"Gender\", \"DocumentType\", \"IdNumberCipher\", \"IdNumberHash\", \"IdNumberLast4\", \"IdNumberMasked\",
        \"PhoneCipher\", \"PhoneHash\", \"PhoneLast4\", \"PhoneMasked\", \"CompoundId\", \"Address\", \"Status\", \"CreatedAt\", \"UpdatedAt\")
     SELECT $(v7 "timestamptz '2020-01-20 00:00+00' + i * interval '1 second'"),
        sn.a[1 + floor(power(random(), 2) * array_length(sn.a, 1))::int] || gn.a[1 + (i * 31 % array_length(gn.a, 1))] || CASE WHEN i % 3 = 0 THEN gn.a[1 + (i % array_length(gn.a, 1))] ELSE '' END,
        CASE WHEN i % 2 = 0 THEN 'Male' ELSE 'Female' END, 'IdCard', '2:' || md5(i::text) || md5(random()::text), md5('p' || i) || md5('q' || i),
        lpad((i * 7 % 10000)::text, 4, '0'), '610303********' || lpad((i * 7 % 10000)::text, 4, '0'),
        '2:' || md5(random()::text), md5('t' || i) || md5('u' || i), lpad((i * 13 % 10000)::text, 4, '0'), '138****' || lpad((i * 13 % 10000)::text, 4, '0'),
        c.\"Id\", '某街' || (i % 300) || '号', CASE WHEN i % 7 < 2 THEN 'Observing' ELSE 'Registered' END, now(), now()
     FROM generate_series($done::bigint, $done + $n - 1) i CROSS JOIN sn CROSS JOIN gn CROSS JOIN cc JOIN c ON c.k = i % cc.c"
  echo "people: $((done + n)) ($(( $(date +%s) - start )) s)"
done

for t in GatePass People; do
  IFS=';' read -ra defs <<<"${saved[$t]}"
  for d in "${defs[@]}"; do [ -n "$d" ] && q "$d"; done
  echo "$t indexes rebuilt ($(( $(date +%s) - start )) s)"
done

# Tasks (one in five people, for the grid worker of the compound or the first grid worker) and alerts (one in 20 passes' worth).
q "INSERT INTO \"Tasks\" (\"Id\", \"Kind\", \"PersonId\", \"CompoundId\", \"AssigneeId\", \"DueAt\", \"Status\", \"CreatedAt\")
   SELECT gen_random_uuid(), 'Verify', p.\"Id\", p.\"CompoundId\", (u.a)[1 + abs(hashtext(p.\"Id\"::text)) % array_length(u.a, 1)],
     now() + (random() * 240 - 120) * interval '1 hour', CASE WHEN random() < 0.8 THEN 'Done' ELSE 'Open' END, now()
   FROM \"People\" p CROSS JOIN (SELECT array_agg(\"Id\") AS a FROM \"AspNetUsers\" WHERE \"UserName\" IN ('grid1', 'grid2', 'cadre1', 'cadre2', 'cadre3')) u
   WHERE p.\"Status\" = 'Observing' AND p.\"IdNumberCipher\" LIKE '2:%' AND length(p.\"IdNumberCipher\") = 66"
q "INSERT INTO \"Alert\" (\"Id\", \"Kind\", \"Subject\", \"AreaId\", \"CreatedAt\", \"Status\", \"DedupeKey\")
   SELECT $(v7 "timestamptz '2020-01-25 00:00+00' + i * interval '20 seconds'"), 'Fever', '卡口体温异常（生成）', c.\"Id\",
     timestamptz '2020-01-25 00:00+00' + i * interval '20 seconds', CASE WHEN i % 50 = 0 THEN 'Open' ELSE 'Resolved' END, 'gen:' || i || ':' || md5(random()::text)
   FROM generate_series(1, $(( PASSES / 20 ))) i JOIN (SELECT row_number() OVER (ORDER BY \"Id\") - 1 AS k, \"Id\" FROM \"Areas\" WHERE \"Kind\" = 'Compound') c ON c.k = i % 25"
q "ANALYZE"
echo "done in $(( $(date +%s) - start )) s"
