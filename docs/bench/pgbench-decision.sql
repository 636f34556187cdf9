-- One enforced single-record decision as Tally makes it: with -D reads=0 the writes of
-- JdbiUsageLedger (FactTable, RollupTable: the fact, inserted with ON CONFLICT DO NOTHING, the conditional
-- UPDATE of the rollup returning its new used (R13, R75), commit); with -D reads=1 also the two reads
-- before them, each in auto-commit as Tally runs them: the API key by its hash
-- (ApiKeyDao.FIND_BY_HASH), then the user with its billing cycles and its plan with its limits in
-- one statement (UserDao.FIND_WITH_PLAN).
-- Client c writes as user c modulo :users (-D users=N), like `tally bench` spreads its connections
-- over its users. Run by `tally bench --pgbench-url`; see docs/benchmarks-http.md.
\set u :client_id % :users
\set k random(1, 9000000000000000000)
\if :reads
SELECT id, key_hash, user_id, prefix, created_at, last_used_at, revoked_at FROM api_keys
    WHERE key_hash = 'pgbench-hash-' || :u;
SELECT u.id, u.plan_id, u.created_at, c.seq, c.kind, c.anchor_at, c.time_zone, p.name,
        p.max_file_size_mb, p.warning_threshold_percent, p.alert_thresholds_percent, p.low_balance_credits,
        l.metric, l.max_quantity, l.allocation FROM users u
    LEFT JOIN user_billing_cycles c ON c.user_id = u.id LEFT JOIN plans p ON p.id = u.plan_id
    LEFT JOIN plan_limits l ON l.plan_id = p.id WHERE u.id = 'pgbench-' || :u ORDER BY c.seq;
\endif
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
      AND used + reserved <= 999999999
    RETURNING used;
COMMIT;
