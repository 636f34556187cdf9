-- One group commit of :group enforced single-record decisions as Tally's grouped path makes it
-- (GroupedAppends), in a few multi-row statements whatever the group's size: lock and read the
-- rollup row (SELECT ... FOR UPDATE), look up the facts' idempotency keys, insert every fact in one
-- INSERT ... ON CONFLICT DO NOTHING, raise the rollup once by the group's total (Tally decides each
-- member in Java on the row it read, then raises it; here the UPDATE's condition stands for that
-- decision), commit. Decisions/s = transactions/s x :group.
-- pgbench scripts cannot loop, so this is a template: `tally bench --pgbench-url` writes it out
-- with every line that holds "{n}" (outside these comments) repeated for n = 1 .. group, the last
-- copy without its trailing comma, and runs it with -D group=G (default 16). By hand, e.g. G=16:
--   awk -v g=16 '/^--/||!/\{n\}/{print;next}{for(i=1;i<=g;i++){l=$0;gsub(/\{n\}/,i,l);if(i==g)sub(/,$/,"",l);print l}}'
-- Client c writes as user c modulo :users (-D users=N), like pgbench-decision.sql; see
-- docs/benchmarks-http.md.
\set u :client_id % :users
\set k{n} random(1, 9000000000000000000)
BEGIN;
SELECT user_id, period_start, period_end, metric, used, reserved FROM usage_rollups
    WHERE (user_id, period_start, period_end, metric)
        IN (('pgbench-' || :u, 1793491200000000000, 1796083200000000000, 'bench.enforced'))
    ORDER BY user_id, period_start, period_end, metric FOR UPDATE;
SELECT user_id, idempotency_key, fingerprint FROM usage_facts WHERE (user_id, idempotency_key) IN (
    ('pgbench-' || :u, 'pgbench-g-' || :k{n}),
    );
INSERT INTO usage_facts (user_id, metric, quantity, occurred_at, idempotency_key, fingerprint, dimensions,
        period_start, period_end) VALUES
    ('pgbench-' || :u, 'bench.enforced', 1, 1794000000000000000, 'pgbench-g-' || :k{n}, 'b8a6cc53fba0b4d6b4e3e2a3c8f0d7b1e2a5c6d7e8f90a1b2c3d4e5f6a7b8c9d', '{}', 1793491200000000000, 1796083200000000000),
    ON CONFLICT DO NOTHING;
UPDATE usage_rollups SET used = used + :group
    WHERE user_id = 'pgbench-' || :u AND period_start = 1793491200000000000
      AND period_end = 1796083200000000000 AND metric = 'bench.enforced'
      AND used + reserved + :group <= 1000000000
    RETURNING used;
COMMIT;
