-- Rows for the pgbench scripts beside it, in a schema that Tally's migrations created (`tally bench
-- --pgbench-url` makes a scratch schema, migrates it, runs this with :users replaced, and drops the
-- schema afterwards). By hand: psql -v users=8 -f pgbench-setup.sql, with search_path set to that schema.
-- The one billing period, 2026-11-01 to 2026-12-01 in nanoseconds, is the one the scripts write to.
INSERT INTO plans (id, name, warning_threshold_percent) VALUES ('pgbench', 'pgbench', 80);
INSERT INTO plan_limits (plan_id, metric, max_quantity) VALUES ('pgbench', 'bench.enforced', 1000000000);
INSERT INTO users (id, plan_id, created_at)
    SELECT 'pgbench-' || u, 'pgbench', 0 FROM generate_series(0, :users - 1) u;
INSERT INTO user_billing_cycles (user_id, seq, kind, anchor_at, time_zone)
    SELECT 'pgbench-' || u, 0, 'calendar_month', 0, 'UTC' FROM generate_series(0, :users - 1) u;
INSERT INTO api_keys (id, key_hash, user_id, prefix, created_at)
    SELECT 'key_pgbench_' || u, 'pgbench-hash-' || u, 'pgbench-' || u, 'tk_pgb', 0
    FROM generate_series(0, :users - 1) u;
INSERT INTO usage_rollups (user_id, period_start, period_end, metric, used, reserved)
    SELECT 'pgbench-' || u, 1793491200000000000, 1796083200000000000, 'bench.enforced', 0, 0
    FROM generate_series(0, :users - 1) u;
