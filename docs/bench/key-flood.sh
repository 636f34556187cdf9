#!/usr/bin/env bash
# What one flooding API key takes from another user (R67), as docs/security-and-reliability.md
# records it: start `tally serve` on a fresh database, warm it up with the admin key, then measure
# a victim's paced enforced writes alone, and again while one user key floods usage batches of 100
# records, each with its own idempotency key, as fast as its connections allow.
#
#   docs/bench/key-flood.sh SERVER_JAR STORAGE
#
# STORAGE is h2 or postgres (a fresh schema of the local PostgreSQL, dropped afterwards).
# Environment: PORT (default 18090), PHASE_SECONDS (20), WARM_SECONDS (40), VICTIM_RATE (100 requests/s),
# FLOOD_CONNECTIONS (4), FLOOD_SHAPE (batch, or unrouted: GETs of a path no route serves, without a key,
# which no rate can refuse: the cost of any HTTP flood on this machine, for comparison),
# SERVER_FLAGS (extra flags of serve, e.g. "--key-rate 0 --key-record-rate 0"),
# PG_URL (jdbc:postgresql://127.0.0.1:5432/test?user=postgres). Needs wrk and curl. Everything stays
# on 127.0.0.1, every wrk run is bounded by its duration, and the script stops its server on exit.
set -euo pipefail
export PGOPTIONS="-c client_min_messages=warning"

server_jar=${1:?server jar}
storage=${2:?h2 or postgres}
port=${PORT:-18090}
seconds=${PHASE_SECONDS:-20}
warm=${WARM_SECONDS:-40}
victim_rate=${VICTIM_RATE:-100}
flood_connections=${FLOOD_CONNECTIONS:-4}
pg_url=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
read -r -a server_flags <<< "${SERVER_FLAGS:-}"
admin_key=flood-admin-key-$RANDOM$RANDOM
scratch=$(mktemp -d)
schema=flood_$$_$RANDOM
lua="$(cd "$(dirname "$0")" && pwd)/tally.lua"
base="http://127.0.0.1:$port"

case "$storage" in
  h2) db_url="jdbc:h2:file:$scratch/tally" ;;
  postgres)
    psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE SCHEMA $schema"
    db_url="${pg_url}&currentSchema=$schema" ;;
  *) echo "unknown storage: $storage" >&2; exit 2 ;;
esac

server_pid=
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [[ "$storage" == postgres ]]; then psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA IF EXISTS $schema CASCADE"; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

java -jar "$server_jar" serve --port "$port" --db-url "$db_url" --admin-key "$admin_key" "${server_flags[@]}" \
    > "$scratch/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -sf "$base/v1/health" > /dev/null && break
  sleep 0.5
done

admin() {
  curl -sf -X "$1" -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
      ${3:+-d "$3"} "$base$2"
}
admin PUT /v1/plans/flood '{"name": "flood", "limits": {"bench.enforced": 1000000000000}}' > /dev/null
key_of() {
  admin PUT "/v1/users/$1" '{"plan_id": "flood"}' > /dev/null
  admin POST "/v1/users/$1/api-keys" | sed -E 's/.*"key":"([^"]+)".*/\1/'
}
victim_key=$(key_of victim)
flooder_key=$(key_of flooder)
admin PUT /v1/users/warm '{"plan_id": "flood"}' > /dev/null

# wrk MODE SECONDS CONNECTIONS "user key" [RATE]: one line of tally.lua's figures.
load() {
  TALLY_MODE=$1 TALLY_USERS="$4" TALLY_RUN="$RANDOM$RANDOM" TALLY_RATE=${5:-0} TALLY_CONNECTIONS=$3 \
      timeout $(($2 + 60)) wrk -t "$3" -c "$3" -d "${2}s" --timeout 10s -s "$lua" "$base" | grep '^tally-wrk'
}
size() {
  if [[ "$storage" == h2 ]]; then
    du -b "$scratch"/tally.mv.db | cut -f1
  else
    psql -qtA -h 127.0.0.1 -U postgres -d test -c "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '$schema' AND c.relkind = 'r'"
  fi
}

echo "warm-up: $warm s of the admin key's batches and enforced writes (not recorded)" >&2
load batch $((warm / 2)) 2 "warm $admin_key" > /dev/null
load single $((warm / 2)) 2 "warm $admin_key" > /dev/null

echo "storage $storage, $(date -u +%H:%M) UTC, server flags: ${SERVER_FLAGS:-none}, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "victim alone:    $(load single "$seconds" 2 "victim $victim_key" "$victim_rate")"
before=$(size)
if [[ "${FLOOD_SHAPE:-batch}" == unrouted ]]; then
  timeout $((seconds + 60)) wrk -t "$flood_connections" -c "$flood_connections" -d "${seconds}s" "$base/unrouted" \
      | tr '\n' ' ' > "$scratch/flood" &
else
  load batch "$seconds" "$flood_connections" "flooder $flooder_key" > "$scratch/flood" &
fi
flood_pid=$!
echo "victim, flooded: $(load single "$seconds" 2 "victim $victim_key" "$victim_rate")"
wait "$flood_pid"
echo "flooder:         $(cat "$scratch/flood") (batches of 100 records; status_errors are its 429s)"
echo "storage grew by $(( ($(size) - before) / 1024 / 1024 )) MiB during the flood"
