#!/usr/bin/env bash
# Measures one server build on one storage the way docs/benchmarks-http.md records its figures:
# start `tally serve` on a fresh database, make one recorded `tally bench` run, and stop the server.
# The run first warms the server with SERVER_WARMUP_SECONDS of unrecorded load (its JIT compiles for
# over a minute), then measures every phase at 8 and at 32 connections.
#
#   docs/bench/measure-warm.sh SERVER_JAR STORAGE [BENCH_JAR]
#
# STORAGE is memory, h2 or postgres (a fresh schema of the local PostgreSQL, dropped afterwards;
# the recorded run also drives pgbench there). BENCH_JAR (default SERVER_JAR) runs `tally bench`,
# so a newer bench can measure an older server. Environment: PORT (default 18080), PHASE_SECONDS (15),
# WARMUP_SECONDS (5, before each phase), SERVER_WARMUP_SECONDS (180), CONNECTIONS (8,32),
# WARM_RUNS (0: extra unrecorded runs before, for a BENCH_JAR older than --server-warmup-seconds),
# PG_URL (jdbc:postgresql://127.0.0.1:5432/test?user=postgres).
# Everything stays on 127.0.0.1 and the script stops its server on exit.
set -euo pipefail
export PGOPTIONS="-c client_min_messages=warning"

server_jar=${1:?server jar}
storage=${2:?memory, h2 or postgres}
bench_jar=${3:-$server_jar}
port=${PORT:-18080}
seconds=${PHASE_SECONDS:-15}
warmup=${WARMUP_SECONDS:-5}
server_warmup=${SERVER_WARMUP_SECONDS:-180}
connections=${CONNECTIONS:-8,32}
warm_runs=${WARM_RUNS:-0}
pg_url=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
admin_key=bench-admin-key-$RANDOM$RANDOM
scratch=$(mktemp -d)
schema=bench_$$_$RANDOM
pgbench_args=()

case "$storage" in
  memory) db_url=memory: ;;
  h2) db_url="jdbc:h2:file:$scratch/tally" ;;
  postgres)
    psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE SCHEMA $schema"
    db_url="${pg_url}&currentSchema=$schema"
    pgbench_args=(--pgbench-url "$pg_url") ;;
  *) echo "unknown storage: $storage" >&2; exit 2 ;;
esac

server_pid=
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [[ "$storage" == postgres ]]; then psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA IF EXISTS $schema CASCADE"; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# Capacity is measured without the per-key rates (R67) of servers that have them.
unbounded=()
if java -jar "$server_jar" serve --help 2>/dev/null | grep -q -- --key-rate; then
  unbounded=(--key-rate 0 --key-record-rate 0)
fi
java -jar "$server_jar" serve --port "$port" --db-url "$db_url" --admin-key "$admin_key" "${unbounded[@]}" \
    > "$scratch/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/v1/health" > /dev/null && break
  sleep 0.5
done

bench() {
  java -jar "$bench_jar" bench --url "http://127.0.0.1:$port" --admin-key "$admin_key" "$@" || true
}
for run in $(seq 1 "$warm_runs"); do
  echo "warm-up run $run of $warm_runs (not recorded)" >&2
  bench --seconds 8 --warmup-seconds 2 > /dev/null 2>&1
done
echo "recorded run: $storage, $(date -u +%H:%M) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
bench --seconds "$seconds" --warmup-seconds "$warmup" --server-warmup-seconds "$server_warmup" \
    --connections "$connections" "${pgbench_args[@]}"
