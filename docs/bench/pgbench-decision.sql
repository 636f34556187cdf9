-- One enforced single-record decision as Tally writes it (JdbiUsageLedger through UsageDao): the
-- fact, inserted with ON CONFLICT DO NOTHING, the conditional UPDATE of the rollup (R13), commit.
-- Client c writes as user c modulo :users (pgbench -D users=N), like `tally bench` spreads its
-- connections over its users. Run by `tally bench --pgbench-url`; see docs/benchmarks-http.md.
\set u :client_id % :users
\set k random(1, 9000000000000000000)
BEGIN;
INSERT INTO usage_facts (user_id, metric, quantity, occurred_at, idempotency_key, fingerprint, dimensions,
        period_start, period_end)
    VALUES ('pgbench-' || :u, 'bench.enforced', 1, 1794000000000000000, 'pgbench-' || :k,
        'b8a6cc53fba0b4d6b4e3e2a3c8f0d7b1e2a5c6d7e8f90a1b2c3d4e5f6a7b8c9d', '{}',
        1793491200000000000, 1796083200000000000)
    ON CONFLICT DO NOTHING;
UPDATE usage_rollups SET used = used + 1
    WHERE user_id = 'pgbench-' || :u AND period_start = 1793491200000000000
      AND period_end = 1796083200000000000 AND metric = 'bench.enforced'
      AND used + reserved + 1 <= 1000000000;
COMMIT;
